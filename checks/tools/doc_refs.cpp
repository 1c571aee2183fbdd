// check-doc-refs: every name, file, test and option the documentation cites exists, the docs
// paste no code, and the program transcripts they embed are the programs' output: the docs
// cannot drift from the code without a test going red.
//   check-doc-refs --root DIR                                  check the citations
//   check-doc-refs --root DIR --transcripts [--bin BIN]        compare every transcript block
//   check-doc-refs --root DIR --write-transcripts [--bin BIN]  rewrite them (./workbench docs)
// DIR is the repository root. Exit status: 0 when all is well (with a one-line count of what was
// verified), 1 with one line per broken citation or differing transcript,
//   FILE:LINE: KIND 'TEXT' WHY      (KIND: file, name, test, option, code)
// and 2 on bad usage (one line on stderr).
//
// Pages: every *.md below DIR/docs/, DIR/README.md, DIR/labs/*/README.md,
// DIR/benchmarks/README.md, DIR/examples/**/README.md and every *.md below DIR/exercises/.
//
// Citations are the inline code spans (`...`, as CommonMark reads them: a span may wrap to the
// next line but not past a blank line) outside fenced code blocks, and the options in fenced
// shell blocks (```sh, bash, shell, console). A span is judged by the first rule that applies:
//   - A span holding "://" (a URL) is not checked.
//   - test: a span with ": " cites a test when its text before the first ": " is a test
//     prefix, the text before the first ": " of some test name ("affine", "checker", "bad
//     input", ...). It must equal a test name: a TEST_CASE("...") name in checks/**/*.cpp
//     (adjacent literals joined), an add_test(NAME "...") in checks/CMakeLists.txt, or the
//     add_test of a CMake function there whose name uses its first parameter, once per call
//     with a literal first argument (robust_bad_input("x" ...) gives "bad input: x"). A ${var}
//     left in a CMake name matches any text, so `gradcheck tool: bad usage ... exits 2` cites
//     that loop's tests.
//   - code: docs cite names, files and tests; they do not paste code. A span is pasted code
//     when it holds ";", "{" or "}" (except `Type { field, field }`, a type and its fields, a
//     name below), "->" followed by a name, or, when it is not one of the name forms below,
//     C++ syntax in an expression: "::", a member call ".name(", an empty call "name()" or a
//     conditional "? :". Mathematics (`dW = dY X^T`, `(probs - onehot) / B`, `sum(dY, 1)`)
//     has none of these. A fenced block tagged cpp, c++, cxx, cc, c, h or hpp is pasted code.
//   - option: every --name in a span not judged above must be defined (see below); the span
//     is then judged by the next two rules as well.
//   - name: `name(...)`, `ns::name`, `ns::name(...)`, `obj.method(...)`, `ns::T<U>` and
//     `Type { a, b }`, with no space outside the parentheses and braces. Every identifier
//     outside the parentheses (template arguments and fields included) must occur as a whole
//     word in the C++ sources: *.cpp, *.hpp and *.h files under lib/, tools/, labs/,
//     benchmarks/, checks/, programs/, examples/, python/, fuzz/ and exercises/ (comments count, *.md files
//     do not). A trailing * (`ops::affine_*`) needs a word that begins with the rest. A bare
//     `name`, or `a.b` without parentheses, is not a citation.
//   - file: a span without whitespace that holds "/" or ends in .cpp .hpp .h .md .py .sh .json
//     .csv .txt .cmake .png .svg .gp names a file (a folder when it ends in "/"). It must exist
//     relative to DIR, to the page's folder, or to lib/include/, lib/include/gradlab/ or
//     lib/src/ (where #include paths and the layer folders start). A bare name without "/"
//     (`summary.json`, `nn/`) may also be anywhere in the tree, or be a file the programs
//     write: a string literal of the C++ sources, whole or without its extension. A "*" matches
//     within one path component and must match at least one file. Not checked: what a run
//     writes or the system holds (out/, build*/, data/, /usr, /tmp), placeholders (spans with
//     "<" or ">"), and a path starting with "../" that is not found: it lies outside the tree.
// Options: a --name is defined when it occurs in a string literal of the C++ sources (CLI11's
// add_option("--name"), and messages that name it), in DIR/workbench or DIR/checks/scripts/*.sh,
// or is one of the few options of other tools in foreign_options below.
//
// Transcripts: a page may embed a program's output between the lines
//   <!-- begin: PROGRAM ARGS -->   and   <!-- end: PROGRAM ARGS -->
// as a fenced block: the line "$ build/bin/PROGRAM ARGS", then the program's standard output.
// PROGRAM is looked up in BIN (default DIR/build/bin); ARGS are split at spaces, no quoting.
// --transcripts fails when a block differs from the output or the program does not exit 0;
// --write-transcripts rewrites the blocks that differ.
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Options of other programs that the docs' command lines use: Google Benchmark's (a prefix) and
// CMake's. Every program built with CLI11 has --help.
const std::vector<std::string> foreign_options = {"--benchmark_*", "--build", "--preset",
                                                  "--target", "--help"};

const std::vector<std::string> file_extensions = {".cpp", ".hpp",  ".h",   ".md",  ".py",
                                                  ".sh",  ".json", ".csv", ".txt", ".cmake",
                                                  ".png", ".svg",  ".gp"};

const std::vector<std::string> source_folders = {
    "lib",      "tools",  "labs", "benchmarks", "checks", "programs",
    "examples", "python", "fuzz", "exercises"};

// Bad usage: one line on stderr, exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool has_space(const std::string& s) { return s.find_first_of(" \t\n") != std::string::npos; }

// ---------------------------------------------------------------------------------------------
// What the repository defines.

struct Repository {
  fs::path root;
  std::set<std::string> files;            // every file and folder, relative to root ("a/b/")
  std::set<std::string> file_names;       // their last components
  std::set<std::string> words;            // identifiers of the sources
  std::set<std::string> literals;         // string literals of the C++ sources
  std::set<std::string> options;          // --name defined by a program or script
  std::set<std::string> tests;            // exact test names
  std::vector<std::regex> test_patterns;  // CMake test names with a ${var}
  std::set<std::string> test_prefixes;    // test names' text before the first ": "
};

bool skipped_folder(const std::string& name) {
  return name == ".git" || name == "out" || name == "data" || starts_with(name, "build");
}

void list_files(Repository& repo) {
  for (auto it = fs::recursive_directory_iterator(repo.root);
       it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && skipped_folder(name) && it.depth() == 0) {
      it.disable_recursion_pending();
      continue;
    }
    std::string relative = it->path().lexically_relative(repo.root).generic_string();
    if (it->is_directory()) relative += '/';
    repo.files.insert(relative);
    repo.file_names.insert(it->is_directory() ? name + '/' : name);
  }
}

// Every --name token in text (a name starts with a letter; "-" and "_" may follow).
std::vector<std::string> option_tokens(const std::string& text) {
  static const std::regex token(R"((?:^|[^A-Za-z0-9_-])(--[A-Za-z][A-Za-z0-9_-]*))");
  std::vector<std::string> found;
  for (std::sregex_iterator it(text.begin(), text.end(), token), end; it != end; ++it)
    found.push_back((*it)[1]);
  return found;
}

void add_words(Repository& repo, const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_word_char(text[j])) ++j;
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      repo.words.insert(text.substr(i, j - i));
    i = j;
  }
}

// The string literals of C++ source text (comments and character literals skipped; raw strings
// read to their delimiter; escapes kept as written, which is enough to find "--name").
std::vector<std::string> string_literals(const std::string& s) {
  std::vector<std::string> found;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "//") == 0) {
      i = s.find('\n', i);
      if (i == std::string::npos) break;
    } else if (s.compare(i, 2, "/*") == 0) {
      i = s.find("*/", i + 2);
      if (i == std::string::npos) break;
      ++i;
    } else if (s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"' &&
               (i == 0 || !is_word_char(s[i - 1]))) {
      const std::size_t open = s.find('(', i + 2);
      if (open == std::string::npos) break;
      const std::string close = ")" + s.substr(i + 2, open - i - 2) + "\"";
      const std::size_t stop = s.find(close, open);
      if (stop == std::string::npos) break;
      found.push_back(s.substr(open + 1, stop - open - 1));
      i = stop + close.size() - 1;
    } else if (s[i] == '"' || s[i] == '\'') {
      const char quote = s[i];
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != quote && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
      if (quote == '"') found.push_back(s.substr(i + 1, j - i - 1));
      i = j;
    }
  }
  return found;
}

bool is_cpp(const fs::path& file) {
  const std::string ext = file.extension().string();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h";
}

void read_sources(Repository& repo) {
  for (const std::string& folder : source_folders) {
    const fs::path dir = repo.root / folder;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const fs::path& file = entry.path();
      if (!entry.is_regular_file() || !is_cpp(file)) continue;
      const std::string text = read_text(file);
      add_words(repo, text);
      for (const std::string& literal : string_literals(text)) {
        repo.literals.insert(literal);
        for (const std::string& option : option_tokens(literal)) repo.options.insert(option);
      }
    }
  }
}

void read_scripts(Repository& repo) {
  std::vector<fs::path> scripts = {repo.root / "workbench"};
  const fs::path dir = repo.root / "checks" / "scripts";
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".sh") scripts.push_back(entry.path());
  for (const fs::path& script : scripts) {
    if (!fs::is_regular_file(script)) continue;
    for (const std::string& option : option_tokens(read_text(script))) repo.options.insert(option);
  }
}

// The C string literal that starts at text[i] (after whitespace), unescaped; i moves past it.
bool next_literal(const std::string& text, std::size_t& i, std::string& out) {
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i >= text.size() || text[i] != '"') return false;
  for (++i; i < text.size() && text[i] != '"'; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out += text[i];
  }
  ++i;
  return true;
}

void add_test_name(Repository& repo, const std::string& name) {
  const std::size_t colon = name.find(": ");
  if (colon != std::string::npos) repo.test_prefixes.insert(name.substr(0, colon));
  static const std::regex variable(R"(\$\{[^}]*\})");
  if (!std::regex_search(name, variable)) {
    repo.tests.insert(name);
    return;
  }
  // A CMake name with ${var}: the variable matches any text, the rest literally.
  static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
  std::string pattern;
  std::sregex_token_iterator part(name.begin(), name.end(), variable, {-1, 0}), end;
  for (; part != end; ++part) {
    const std::string piece = *part;
    pattern +=
        starts_with(piece, "${") ? std::string(".+") : std::regex_replace(piece, special, "\\$&");
  }
  repo.test_patterns.emplace_back(pattern);
}

void read_catch2_tests(Repository& repo) {
  const fs::path dir = repo.root / "checks";
  if (!fs::is_directory(dir)) return;
  static const std::regex test_case(R"(\bTEST_CASE\s*\()");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
    const std::string text = read_text(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), test_case), end; it != end; ++it) {
      std::size_t i = it->position() + it->length();
      std::string name;
      bool more = true;
      while (more) more = next_literal(text, i, name);  // adjacent literals are one string
      if (!name.empty()) add_test_name(repo, name);
    }
  }
}

// add_test(NAME "...") in checks/CMakeLists.txt, and the tests of its functions: a function
// whose add_test name uses its first parameter gives one test per call with a literal there.
void read_cmake_tests(Repository& repo) {
  const fs::path file = repo.root / "checks" / "CMakeLists.txt";
  if (!fs::is_regular_file(file)) return;
  const std::string text = read_text(file);
  static const std::regex add_test(R"(add_test\s*\(\s*NAME\s+"((?:[^"\\]|\\.)*)\")");
  for (std::sregex_iterator it(text.begin(), text.end(), add_test), end; it != end; ++it)
    add_test_name(repo, (*it)[1]);
  static const std::regex function(R"(function\s*\(\s*(\w+)\s+(\w+)[^)]*\)([\s\S]*?)endfunction)");
  for (std::sregex_iterator f(text.begin(), text.end(), function), end; f != end; ++f) {
    const std::string body = (*f)[3], parameter = "${" + (*f)[2].str() + "}";
    std::smatch test;
    if (!std::regex_search(body, test, add_test)) continue;
    const std::string name = test[1];
    const std::size_t at = name.find(parameter);
    if (at == std::string::npos) continue;
    const std::regex call("\\b" + (*f)[1].str() + R"(\s*\(\s*"((?:[^"\\]|\\.)*)\")");
    for (std::sregex_iterator c(text.begin(), text.end(), call); c != end; ++c)
      add_test_name(repo, name.substr(0, at) + (*c)[1].str() + name.substr(at + parameter.size()));
  }
}

Repository read_repository(const fs::path& root) {
  Repository repo;
  repo.root = root;
  list_files(repo);
  read_sources(repo);
  read_scripts(repo);
  read_catch2_tests(repo);
  read_cmake_tests(repo);
  return repo;
}

// ---------------------------------------------------------------------------------------------
// The pages and their citations.

std::vector<fs::path> pages(const fs::path& root) {
  std::vector<fs::path> found;
  auto add_tree = [&](const fs::path& dir, bool readme_only) {
    if (!fs::is_directory(dir)) return;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      if (entry.is_regular_file() && entry.path().extension() == ".md" &&
          (!readme_only || entry.path().filename() == "README.md"))
        found.push_back(entry.path());
  };
  add_tree(root / "docs", false);
  add_tree(root / "examples", true);
  add_tree(root / "exercises", false);  // the statements and hints
  for (const fs::path& file : {root / "README.md", root / "benchmarks" / "README.md"})
    if (fs::is_regular_file(file)) found.push_back(file);
  if (fs::is_directory(root / "labs"))
    for (const auto& lab : fs::directory_iterator(root / "labs"))
      if (fs::is_regular_file(lab.path() / "README.md")) found.push_back(lab.path() / "README.md");
  std::sort(found.begin(), found.end());
  return found;
}

struct Cited {
  int line;
  std::string text;
};

struct Page {
  fs::path file;
  std::vector<std::string> lines;
  std::vector<Cited> spans;        // inline code spans
  std::vector<Cited> shell_lines;  // lines of fenced shell blocks
  std::vector<Cited> code_blocks;  // fenced C/C++ blocks: their opening line
};

// A fence opens or closes a block: ``` or ~~~ (three or more), then the info string.
bool fence(const std::string& line, std::string& marker, std::string& info) {
  static const std::regex pattern(R"(^\s*(`{3,}|~{3,})\s*([^\s`]*).*$)");
  std::smatch m;
  if (!std::regex_match(line, m, pattern)) return false;
  marker = m[1];
  info = m[2];
  return true;
}

bool is_one_of(const std::string& s, const std::vector<std::string>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// The text of a finished span: line breaks as spaces, and one space stripped from both ends
// when both have one (CommonMark).
std::string span_text(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  if (text.size() >= 2 && text.front() == ' ' && text.back() == ' ' &&
      text.find_first_not_of(' ') != std::string::npos)
    text = text.substr(1, text.size() - 2);
  return text;
}

// Inline code spans of a line, continuing a span opened on an earlier line of the paragraph.
struct SpanScanner {
  std::size_t open_ticks = 0;  // 0: no span open
  int open_line = 0;
  std::string text;

  void scan(const std::string& line, int number, std::vector<Cited>& out) {
    for (std::size_t i = 0; i < line.size();) {
      if (open_ticks == 0 && line[i] == '\\') {
        i += 2;
        continue;
      }
      if (line[i] != '`') {
        if (open_ticks) text += line[i];
        ++i;
        continue;
      }
      std::size_t run = 0;
      while (i + run < line.size() && line[i + run] == '`') ++run;
      if (open_ticks == 0) {
        open_ticks = run;
        open_line = number;
        text.clear();
      } else if (run == open_ticks) {
        out.push_back({open_line, span_text(text)});
        open_ticks = 0;
      } else {
        text += line.substr(i, run);
      }
      i += run;
    }
    if (open_ticks) text += '\n';
  }
  void paragraph_end() { open_ticks = 0; }
};

Page read_page(const fs::path& file) {
  Page page{file, split_lines(read_text(file)), {}, {}, {}};
  static const std::vector<std::string> shell = {"sh", "bash", "shell", "console"};
  static const std::vector<std::string> cpp = {"cpp", "c++", "cxx", "cc", "c", "h", "hpp"};
  SpanScanner spans;
  std::string open_marker, info;  // open_marker empty: outside a fenced block
  for (std::size_t i = 0; i < page.lines.size(); ++i) {
    const std::string& line = page.lines[i];
    const int number = static_cast<int>(i + 1);
    std::string marker;
    if (open_marker.empty() && fence(line, marker, info)) {
      spans.paragraph_end();
      open_marker = marker;
      if (is_one_of(info, cpp)) page.code_blocks.push_back({number, "```" + info});
    } else if (!open_marker.empty()) {
      std::string closing, rest;
      if (fence(line, closing, rest) && rest.empty() && closing[0] == open_marker[0] &&
          closing.size() >= open_marker.size())
        open_marker.clear();
      else if (is_one_of(info, shell))
        page.shell_lines.push_back({number, line});
    } else if (line.find_first_not_of(" \t") == std::string::npos) {
      spans.paragraph_end();
    } else {
      spans.scan(line, number, page.spans);
    }
  }
  return page;
}

// ---------------------------------------------------------------------------------------------
// The rules.

struct Checker {
  const Repository& repo;
  std::map<std::string, int> verified;  // per kind
  int broken = 0;

  std::vector<std::pair<int, std::string>> messages;  // the current page's broken citations

  void report(const Page& page, int line, const std::string& kind, const std::string& text,
              const std::string& why) {
    messages.emplace_back(line, page.file.lexically_relative(repo.root).generic_string() + ':' +
                                    std::to_string(line) + ": " + kind + " '" + text + "' " + why);
    ++broken;
  }

  // Prints the page's broken citations in the order of its lines.
  void check_page(const Page& page) {
    messages.clear();
    for (const Cited& block : page.code_blocks)
      report(page, block.line, "code", block.text,
             "pastes a C++ block: cite the function and the test that implement and check it");
    for (const Cited& span : page.spans) check_span(page, span);
    for (const Cited& line : page.shell_lines) check_options(page, line);
    std::stable_sort(messages.begin(), messages.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [line, message] : messages) std::cout << message << '\n';
  }

  void check_span(const Page& page, const Cited& span) {
    const std::string& text = span.text;
    if (text.find("://") != std::string::npos) return;
    if (cites_test(text)) return check_test(page, span);
    if (pasted_code(text))
      return report(page, span.line, "code", text,
                    "pastes code: cite the function and the test that implement and check it");
    check_options(page, span);
    std::vector<std::string> names;
    if (name_form(text, names)) return check_names(page, span, names);
    if (looks_like_path(text)) check_file(page, span);
  }

  // -- test
  bool cites_test(const std::string& text) const {
    const std::size_t colon = text.find(": ");
    return colon != std::string::npos && repo.test_prefixes.count(text.substr(0, colon));
  }

  void check_test(const Page& page, const Cited& span) {
    bool exists = repo.tests.count(span.text) > 0;
    for (std::size_t i = 0; !exists && i < repo.test_patterns.size(); ++i)
      exists = std::regex_match(span.text, repo.test_patterns[i]);
    if (exists)
      ++verified["tests"];
    else
      report(page, span.line, "test", span.text,
             "is not a test name (TEST_CASE in checks/*.cpp, add_test in checks/CMakeLists.txt)");
  }

  // -- code
  // `Type { field, field }`: a type and its fields.
  static bool fields_form(const std::string& text) {
    static const std::regex fields(
        R"(^[A-Za-z_]\w*(::[A-Za-z_]\w*)* \{ [A-Za-z_]\w*(, [A-Za-z_]\w*)* \}$)");
    return std::regex_match(text, fields);
  }

  static bool pasted_code(const std::string& text) {
    static const std::regex arrow(R"(->[A-Za-z_])");
    static const std::regex cpp_syntax(R"(::|\.[A-Za-z_]\w*\(|\b[A-Za-z_]\w*\(\)|\?[^:]*:)");
    if (text.find(';') != std::string::npos) return true;
    if (text.find_first_of("{}") != std::string::npos) return !fields_form(text);
    if (std::regex_search(text, arrow)) return true;
    std::vector<std::string> unused;
    return !name_form(text, unused) && std::regex_search(text, cpp_syntax);
  }

  // -- name: the identifiers to look up, when text is one of the name forms.
  static bool name_form(const std::string& text, std::vector<std::string>& names) {
    static const std::string component = R"([A-Za-z_]\w*\*?(?:<[^<>]*(?:<[^<>]*>[^<>]*)*>)?)";
    static const std::regex qualified("^" + component + "(?:(?:::|\\.)" + component + ")*");
    static const std::regex identifier(R"([A-Za-z_]\w*\*?)");
    std::string head;
    if (fields_form(text)) {
      head = text;
    } else {
      std::smatch m;
      if (!std::regex_search(text, m, qualified)) return false;
      head = m.str();
      const std::string rest = text.substr(head.size());
      const bool call = !rest.empty();
      if (call && !balanced_call(rest)) return false;
      if (!call && (head.find("::") == std::string::npos || head.find('.') != std::string::npos))
        return false;
    }
    for (std::sregex_iterator it(head.begin(), head.end(), identifier), end; it != end; ++it)
      names.push_back(it->str());
    return true;
  }

  // "(...)" with its parentheses balanced and the last one closing the first.
  static bool balanced_call(const std::string& rest) {
    if (rest.front() != '(' || rest.back() != ')') return false;
    int depth = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      depth += rest[i] == '(' ? 1 : rest[i] == ')' ? -1 : 0;
      if (depth == 0 && i + 1 < rest.size()) return false;
    }
    return depth == 0;
  }

  bool has_word(const std::string& name) const {
    if (!ends_with(name, "*")) return repo.words.count(name) > 0;
    const std::string prefix = name.substr(0, name.size() - 1);
    const auto it = repo.words.lower_bound(prefix);
    return it != repo.words.end() && starts_with(*it, prefix);
  }

  void check_names(const Page& page, const Cited& span, const std::vector<std::string>& names) {
    for (const std::string& name : names)
      if (!has_word(name))
        return report(
            page, span.line, "name", span.text,
            "has '" + name + "', which no source file (lib/, tools/, labs/, checks/, ...) holds");
    ++verified["names"];
  }

  // -- file
  static bool looks_like_path(const std::string& text) {
    if (has_space(text)) return false;
    if (text.find('/') != std::string::npos) return true;
    for (const std::string& ext : file_extensions)
      if (ends_with(text, ext) && text.size() > ext.size()) return true;
    return false;
  }

  static bool exempt_path(std::string path) {
    if (path.find_first_of("<>") != std::string::npos) return true;
    if (starts_with(path, "./")) path = path.substr(2);
    static const std::regex exempt(R"(^(out/|build[^/]*/|data/|/usr(/|$)|/tmp(/|$)))");
    return std::regex_search(path, exempt);
  }

  // Whether some entry of set matches path, where a * stands for any text within one component.
  static bool any_match(const std::set<std::string>& set, const std::string& path) {
    if (path.find('*') == std::string::npos) return set.count(path) > 0;
    static const std::regex special(R"([.^$|()\[\]{}+?\\])");
    const std::string escaped = std::regex_replace(path, special, "\\$&");
    const std::regex glob(std::regex_replace(escaped, std::regex(R"(\*)"), "[^/]*"));
    for (const std::string& entry : set)
      if (std::regex_match(entry, glob)) return true;
    return false;
  }

  // A bare name ("summary.json", "nn/") may be anywhere in the tree, or be a name the programs
  // write: a string literal of the sources, with or without the extension.
  bool bare_name_exists(const std::string& name) const {
    if (any_match(repo.file_names, name) || any_match(repo.literals, name)) return true;
    const std::size_t dot = name.rfind('.');
    return dot != std::string::npos && dot > 0 && any_match(repo.literals, name.substr(0, dot));
  }

  void check_file(const Page& page, const Cited& span) {
    std::string path = span.text;
    if (exempt_path(path)) return;
    if (starts_with(path, "./")) path = path.substr(2);
    const std::string folder =
        page.file.parent_path().lexically_relative(repo.root).generic_string();
    const std::vector<std::string> bases = {"", folder + "/", "lib/include/",
                                            "lib/include/gradlab/", "lib/src/"};
    bool found = false;
    for (const std::string& base : bases) {
      std::string candidate = fs::path(base + path).lexically_normal().generic_string();
      found = found || any_match(repo.files, candidate);
    }
    const std::size_t slash = path.find('/');
    if (!found && (slash == std::string::npos || slash + 1 == path.size()))
      found = bare_name_exists(path);
    if (found)
      ++verified["files"];
    else if (!starts_with(path, "../"))  // one that climbs out of the tree is not the tree's
      report(page, span.line, "file", span.text,
             "does not exist (from the repository root, " + (folder == "." ? "" : folder + "/, ") +
                 "lib/include/, lib/include/gradlab/ or lib/src/)");
  }

  // -- option
  bool defined_option(const std::string& option) const {
    if (repo.options.count(option)) return true;
    for (const std::string& foreign : foreign_options)
      if (foreign == option ||
          (ends_with(foreign, "*") && starts_with(option, foreign.substr(0, foreign.size() - 1))))
        return true;
    return false;
  }

  void check_options(const Page& page, const Cited& cited) {
    for (const std::string& option : option_tokens(cited.text)) {
      if (defined_option(option))
        ++verified["options"];
      else
        report(page, cited.line, "option", option, "is defined by no program or script");
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Transcripts.

struct Transcript {
  std::size_t begin, end;  // the marker lines (0-based)
  std::string command;     // PROGRAM ARGS
};

std::vector<Transcript> transcripts(const Page& page, const std::string& name) {
  static const std::regex begin(R"(^<!-- begin: (.+) -->\s*$)"), end(R"(^<!-- end: (.+) -->\s*$)");
  std::vector<Transcript> found;
  std::smatch m;
  for (std::size_t i = 0; i < page.lines.size(); ++i) {
    if (!std::regex_match(page.lines[i], m, begin)) continue;
    const std::string command = m[1];
    std::size_t j = i + 1;
    while (j < page.lines.size() && !std::regex_match(page.lines[j], m, end)) ++j;
    if (j == page.lines.size() || m[1] != command)
      throw std::runtime_error(name + ":" + std::to_string(i + 1) + ": transcript '" + command +
                               "' has no matching <!-- end: " + command + " -->");
    found.push_back({i, j, command});
    i = j;
  }
  return found;
}

// The block a transcript should hold: the command line, then the program's standard output.
std::vector<std::string> run_transcript(const fs::path& bin, const std::string& command,
                                        std::string& error) {
  static const std::regex safe(R"(^[A-Za-z0-9_.-]+( [A-Za-z0-9_.,=+:/-]+)*$)");
  if (!std::regex_match(command, safe)) {
    error = "is not PROGRAM ARGS (letters, digits and _.,=+:/- only)";
    return {};
  }
  const std::string program = command.substr(0, command.find(' '));
  const std::string args = command.size() > program.size() ? command.substr(program.size()) : "";
  if (!fs::is_regular_file(bin / program)) {
    error = "cannot be run: no " + (bin / program).string() + " (build it first)";
    return {};
  }
  FILE* pipe = ::popen(("'" + (bin / program).string() + "'" + args + " 2>/dev/null").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + (bin / program).string());
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0)
    error = "exits with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : status);
  std::vector<std::string> block = {"```", "$ build/bin/" + command};
  for (const std::string& line : split_lines(output)) block.push_back(line);
  block.push_back("```");
  return block;
}

// Compares (or rewrites) every transcript block; returns the number that differ.
int check_transcripts(const Repository& repo, const fs::path& bin, bool write) {
  int differing = 0, checked = 0;
  for (const fs::path& file : pages(repo.root)) {
    const Page page = read_page(file);
    const std::string name = file.lexically_relative(repo.root).generic_string();
    std::vector<std::string> lines = page.lines;
    const std::vector<Transcript> found = transcripts(page, name);
    for (auto t = found.rbegin(); t != found.rend(); ++t) {  // from the end: indices stay valid
      std::string error;
      const std::vector<std::string> want = run_transcript(bin, t->command, error);
      ++checked;
      if (!error.empty()) {
        std::cout << name << ':' << t->begin + 1 << ": transcript '" << t->command << "' " << error
                  << '\n';
        ++differing;
        continue;
      }
      const std::vector<std::string> have(lines.begin() + t->begin + 1, lines.begin() + t->end);
      if (have == want) continue;
      if (write) {
        lines.erase(lines.begin() + t->begin + 1, lines.begin() + t->end);
        lines.insert(lines.begin() + t->begin + 1, want.begin(), want.end());
        std::cout << name << ':' << t->begin + 1 << ": rewrote '" << t->command << "'\n";
        continue;
      }
      std::size_t k = 0;
      while (k < have.size() && k < want.size() && have[k] == want[k]) ++k;
      std::cout << name << ':' << t->begin + 2 + k << ": transcript '" << t->command
                << "' differs from the program's output: the page has '"
                << (k < have.size() ? have[k] : "(end)") << "', the program '"
                << (k < want.size() ? want[k] : "(end)") << "' (./workbench docs rewrites it)\n";
      ++differing;
    }
    if (write && lines != page.lines) {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      for (const std::string& line : lines) out << line << '\n';
      if (!out) throw std::runtime_error("cannot write " + file.string());
    }
  }
  std::cout << "check-doc-refs: " << checked << (checked == 1 ? " transcript, " : " transcripts, ")
            << (differing ? std::to_string(differing) + " failed"
                          : std::string(write ? "up to date" : "all match"))
            << '\n';
  return differing;
}

int check_citations(const Repository& repo) {
  Checker checker{repo, {}, 0, {}};
  const std::vector<fs::path> files = pages(repo.root);
  for (const fs::path& file : files) checker.check_page(read_page(file));
  std::ostringstream kinds;
  for (const char* kind : {"files", "names", "tests", "options"})
    kinds << (kind[0] == 'f' ? "" : ", ") << checker.verified[kind] << ' ' << kind;
  std::cout << "check-doc-refs: " << files.size() << (files.size() == 1 ? " page; " : " pages; ")
            << (checker.broken ? std::to_string(checker.broken) + " broken " +
                                     (checker.broken == 1 ? "citation; " : "citations; ")
                               : "")
            << "verified " << kinds.str() << '\n';
  return checker.broken;
}

const char* const usage =
    "usage: check-doc-refs --root DIR [--transcripts | --write-transcripts] [--bin DIR]";

struct Arguments {
  fs::path root, bin;
  bool transcripts = false, write = false, help = false;
};

Arguments parse(int argc, char** argv) {
  Arguments a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(arg + " needs a folder");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h")
      a.help = true;
    else if (arg == "--root")
      a.root = value();
    else if (arg == "--bin")
      a.bin = value();
    else if (arg == "--transcripts")
      a.transcripts = true;
    else if (arg == "--write-transcripts")
      a.write = true;
    else
      throw UsageError("unknown option '" + arg + "'");
  }
  if (a.help) return a;
  if (a.root.empty()) throw UsageError("--root DIR is required (the repository root)");
  if (!fs::is_directory(a.root)) throw UsageError("--root " + a.root.string() + " is not a folder");
  if (a.transcripts && a.write)
    throw UsageError("--transcripts and --write-transcripts exclude each other");
  if (a.bin.empty()) a.bin = a.root / "build" / "bin";
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Arguments args = parse(argc, argv);
    if (args.help) {
      std::cout << usage << "\n  --root DIR           the repository root (required)\n"
                << "  --transcripts        compare the <!-- begin: PROGRAM ARGS --> blocks with "
                   "the programs' output\n"
                << "  --write-transcripts  rewrite those blocks from the programs' output\n"
                << "  --bin DIR            where the programs are (default: ROOT/build/bin)\n";
      return 0;
    }
    const Repository repo = read_repository(fs::canonical(args.root));
    if (args.transcripts || args.write)
      return check_transcripts(repo, args.bin, args.write) ? 1 : 0;
    return check_citations(repo) ? 1 : 0;
  } catch (const UsageError& e) {
    std::cerr << "check-doc-refs: " << e.what() << " (" << usage << ")\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "check-doc-refs: " << e.what() << '\n';
    return 1;
  }
}
