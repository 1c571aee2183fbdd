// make-index: gathers every figure and table under an output folder (out/ by default) into one
// page, out/index.html, readable offline, that says what the run shows before it shows it: a
// header (mode, seeds, date, machine, the BLAS and its core), a table of contents with one
// verdict per section (the gradient checks' counts; whether a lab ran, ran in part, was skipped
// or failed, quick or full), then the sections: the gradient-check table, each lab's sentence
// from its README (with --source, the repository) and a link to it, why a skipped lab was
// skipped and how to run it, its "report | ours" tables (long ones folded) and its figures
// under their titles. It prints the verdicts too, one line per section: the closing summary of
// ./workbench run.
//
// What it reads, each optional: OUT/run.json (tools/run_labs.sh: the mode, the date, each lab's
// exit status), OUT/<section>/summary.json (mode, seeds, the BLAS), OUT/gradcheck/report.json,
// OUT/<lab>/status.json (a lab that skipped all or part of itself, and why), <name>.csv with its
// title in <name>.csv.title, <name>.png with its gnuplot script <name>.gp (the title is the
// script's `set title`), README.txt.
#include "gradlab/programs/cli.hpp"
#include "gradlab/programs/html.hpp"
#include "gradlab/programs/lab.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/output/csv.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;

using gradlab::html_escape;

namespace {

// A table with more rows than this is folded into <details>: the page stays readable.
constexpr std::size_t folded_rows = 20;


std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The JSON object in path, or null when the file is absent or not JSON (the page then says less).
json read_json(const fs::path& path) {
  if (!fs::is_regular_file(path)) return nullptr;
  json j = json::parse(read(path), nullptr, false);
  return j.is_discarded() || !j.is_object() ? json(nullptr) : j;
}

std::string text_of(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string s;
  for (const std::string& item : items) s += (s.empty() ? "" : separator) + item;
  return s;
}

// A table and its number of rows (the header not counted).
struct Table {
  std::string html;
  std::size_t rows = 0;
};

// A CSV file as a table. A "report | ours" table with the column "ours - report" (the labs'
// Comparison::add_measured) highlights the rows whose difference is beyond one standard
// deviation over seeds, and says so under the table.
Table csv_table(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  Table t{"<table>\n", 0};
  bool header = true;
  std::optional<std::size_t> difference;  // the column "ours - report"
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = gradlab::output::parse_csv_line(line);
    if (header)
      for (std::size_t k = 0; k < cells.size(); ++k)
        if (cells[k] == "ours - report") difference = k;
    const bool beyond = !header && difference && *difference < cells.size() &&
                        cells[*difference].rfind(gradlab::lab::beyond_sd, 0) == 0;
    t.html += beyond ? "<tr class=\"beyond-sd\">" : "<tr>";
    for (const std::string& cell : cells)
      t.html += (header ? "<th>" : "<td>") + html_escape(cell) + (header ? "</th>" : "</td>");
    t.html += "</tr>\n";
    t.rows += header ? 0 : 1;
    header = false;
  }
  t.html += "</table>\n";
  if (difference)
    t.html += "<p class=\"note\">Highlighted: ours differs from the report by more than one standard deviation "
              "over seeds. &quot;One seed, no sd: not judged&quot;: a single run has no spread to measure the "
              "difference by.</p>\n";
  return t;
}

// A titled table, folded when long.
std::string titled_table(const std::string& title, const Table& table) {
  if (table.rows > folded_rows)
    return "<details><summary>" + html_escape(title) + " (" + plural(table.rows, "row") + ")</summary>\n" +
           table.html + "</details>\n";
  return "<h3>" + html_escape(title) + "</h3>\n" + table.html;
}

std::string number(const json& value, const char* format) {
  char text[32];
  std::snprintf(text, sizeof text, format, value.is_number() ? value.get<double>() : 0.0);
  return text;
}

// The gradient checks: one line ("20 ops, 122 checks, all PASS") and the table of every tensor.
struct Verdict {
  std::string text;
  std::string state;  // the CSS class: pass, fail, partial, skipped, info
};

Verdict gradcheck_verdict(const json& j) {
  std::set<std::string> ops, failing;
  std::size_t failed = 0, inconclusive = 0, kinks = 0;
  for (const auto& check : j["checks"]) {
    const std::string label = text_of(check, "check");
    const std::string op = label.substr(0, label.find(" ["));  // "affine [input]" -> "affine"
    ops.insert(op);
    const std::string verdict = text_of(check, "verdict");
    if (verdict == "FAIL") {
      ++failed;
      failing.insert(op);
    }
    inconclusive += verdict == "INCONCLUSIVE";
    kinks += verdict == "KINK";
  }
  std::string text = plural(ops.size(), "op") + ", " + plural(j["checks"].size(), "check") + ", ";
  if (failed > 0)
    text += std::to_string(failed) + " FAIL (" + joined({failing.begin(), failing.end()}) + ")";
  else if (inconclusive == 0)
    text += "all PASS";
  else
    text += "no FAIL";
  if (inconclusive > 0) text += ", " + std::to_string(inconclusive) + " INCONCLUSIVE";
  if (kinks > 0) text += " (" + std::to_string(kinks) + " at a kink)";
  return {text, failed > 0 ? "fail" : inconclusive > 0 ? "partial" : "pass"};
}

std::string gradcheck_table(const json& j) {
  std::string html = "<p>scheme " + html_escape(text_of(j, "scheme")) + ", step " + html_escape(j["step"].dump()) +
                     ", tolerance |a - n| &le; " + html_escape(j["tolerance"]["atol"].dump()) + " + " +
                     html_escape(j["tolerance"]["rtol"].dump()) + " |n|</p>\n";
  Table t{"<table>\n<tr><th>check</th><th>shapes</th><th>method</th><th>tensor</th><th>checked</th>"
          "<th>max rel err</th><th>max abs err</th><th>kinks</th><th>failed</th><th>verdict</th></tr>\n",
          0};
  for (const auto& check : j["checks"]) {
    for (const auto& tensor : check["tensors"]) {
      const std::string verdict = text_of(tensor, "verdict");
      t.html += "<tr><td>" + html_escape(text_of(check, "check")) + "</td><td>" + html_escape(text_of(check, "shapes")) +
                "</td><td>" + html_escape(text_of(check, "method")) + "</td><td>" + html_escape(text_of(tensor, "tensor")) +
                "</td><td>" + tensor["checked"].dump() + "</td><td>" + number(tensor["max_rel_error"], "%.1e") +
                "</td><td>" + number(tensor["max_abs_error"], "%.1e") + "</td><td>" + tensor["kinks"].dump() +
                "</td><td>" + tensor["failed"].dump() + "</td><td class=\"" + html_escape(verdict) + "\">" +
                html_escape(verdict) + "</td></tr>\n";
      ++t.rows;
    }
  }
  t.html += "</table>\n";
  return html + titled_table("Every tensor checked, against finite differences", t);
}

// A figure's title: the `set title '...'` line of its gnuplot script (gnuplot's quoting: single
// quotes doubled inside, or double quotes with backslash escapes); empty when there is none.
std::string gnuplot_title(const fs::path& script) {
  std::ifstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("set title ", 0) != 0) continue;
    const std::size_t open = line.find_first_of("'\"", 10);
    if (open == std::string::npos) return "";
    const char quote = line[open];
    std::string title;
    for (std::size_t i = open + 1; i < line.size(); ++i) {
      if (quote == '\'' && line[i] == '\'') {
        if (i + 1 < line.size() && line[i + 1] == '\'') {
          title += '\'';
          ++i;
          continue;
        }
        return title;
      }
      if (quote == '"' && line[i] == '\\' && i + 1 < line.size()) {
        title += line[i + 1] == 'n' ? ' ' : line[i + 1];
        ++i;
        continue;
      }
      if (quote == '"' && line[i] == '"') return title;
      title += line[i];
    }
    return title;
  }
  return "";
}

// Markdown as plain text for one sentence: **bold**, `code`, $math$ and [text](link) lose their
// marks.
std::string plain_markdown(const std::string& text) {
  std::string s;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "**") == 0) {
      ++i;
      continue;
    }
    if (text[i] == '`' || text[i] == '$') continue;
    if (text[i] == '[') {
      const std::size_t close = text.find("](", i);
      const std::size_t end = close == std::string::npos ? close : text.find(')', close);
      if (end != std::string::npos) {
        s += text.substr(i + 1, close - i - 1);
        i = end;
        continue;
      }
    }
    s += text[i];
  }
  return s;
}

// What a lab reproduces: the first sentence of the first paragraph of its README.md (after the
// heading). A long sentence that goes on after a colon ends at the colon.
std::string readme_sentence(const fs::path& readme) {
  std::ifstream in(readme);
  std::string line, paragraph;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    const bool text = !t.empty() && t[0] != '#' && t.rfind("```", 0) != 0 && t[0] != '|' && t.rfind("<!--", 0) != 0;
    if (text)
      paragraph += (paragraph.empty() ? "" : " ") + t;
    else if (!paragraph.empty())
      break;
  }
  // The first ". " before a capital that does not follow an abbreviation ("vs. Epochs").
  static const std::set<std::string> abbreviations = {"vs", "e.g", "i.e", "Fig", "Figs", "Eq", "Eqs",
                                                      "eq", "eqs", "cf", "etc", "al", "No"};
  std::string sentence = paragraph;
  for (std::size_t i = 1; i + 2 < paragraph.size(); ++i) {
    if (paragraph[i] != '.' || paragraph[i + 1] != ' ' || !std::isupper(static_cast<unsigned char>(paragraph[i + 2])))
      continue;
    const std::size_t space = paragraph.find_last_of(" (", i - 1);
    const std::size_t start = space == std::string::npos ? 0 : space + 1;
    if (abbreviations.count(paragraph.substr(start, i - start)) > 0) continue;
    sentence = paragraph.substr(0, i + 1);
    break;
  }
  if (!sentence.empty() && sentence.back() == ':') sentence.back() = '.';
  const std::size_t colon = sentence.find(": ");
  if (sentence.size() > 200 && colon != std::string::npos) sentence = sentence.substr(0, colon) + ".";
  return plain_markdown(sentence);
}

// Escaped, with TeX's superscripts ("10^{-1}") raised.
std::string sentence_html(const std::string& sentence) {
  const std::string s = html_escape(sentence);
  std::string html;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::size_t close = s.compare(i, 2, "^{") == 0 ? s.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      html += s[i];
      continue;
    }
    html += "<sup>" + s.substr(i + 2, close - i - 2) + "</sup>";
    i = close;
  }
  return html;
}

std::string utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
  return text;
}

// The machine the page is written on (./workbench run writes it right after the labs): host,
// processor and cores.
std::string machine() {
  std::vector<std::string> parts;
  char host[256] = "";
  if (::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') parts.push_back(host);
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
      parts.push_back(trim(line.substr(line.find(':') + 1)));
      break;
    }
  if (const unsigned cores = std::thread::hardware_concurrency(); cores > 0) parts.push_back(plural(cores, "core"));
  return parts.empty() ? "unknown" : joined(parts);
}

// "OpenBLAS 0.3.21, core Haswell (chosen by OpenBLAS)", from a report's "blas" object.
std::string blas_text(const json& blas) {
  if (!blas.is_object() || text_of(blas, "core").empty()) return "";
  std::string s = text_of(blas, "library");
  if (!text_of(blas, "version").empty()) s += " " + text_of(blas, "version");
  s += (s.empty() ? "core " : ", core ") + text_of(blas, "core");
  if (!text_of(blas, "core_chosen_by").empty()) s += " (chosen by " + text_of(blas, "core_chosen_by");
  if (!text_of(blas, "core_picked_by_openblas").empty())
    s += "; OpenBLAS had picked " + text_of(blas, "core_picked_by_openblas");
  if (!text_of(blas, "core_chosen_by").empty()) s += ")";
  return s;
}

// "1", or "5-7 (3 seeds)".
std::string seeds_text(const json& j) {
  if (!j.is_object() || !j.contains("seed") || !j["seed"].is_number_unsigned()) return "";
  const std::uint64_t seed = j["seed"].get<std::uint64_t>();
  const std::uint64_t n = j.contains("seeds") && j["seeds"].is_number_unsigned() ? j["seeds"].get<std::uint64_t>() : 1;
  return n > 1 ? std::to_string(seed) + "-" + std::to_string(seed + n - 1) + " (" + std::to_string(n) + " seeds)"
               : std::to_string(seed);
}

// "quick", or "1 (gradcheck, lab-disk); 5-7 (3 seeds) (lab-circle)" when the sections differ.
std::string grouped(const std::map<std::string, std::vector<std::string>>& values) {
  if (values.empty()) return "not recorded";
  if (values.size() == 1) return values.begin()->first;
  std::vector<std::string> parts;
  for (const auto& [value, sections] : values) parts.push_back(value + " (" + joined(sections) + ")");
  return joined(parts, "; ");
}

// A lab's verdict: whether it ran, ran in part, was skipped or failed, and in which mode. The exit
// status comes from run.json (tools/run_labs.sh) when the lab ran there.
Verdict lab_verdict(const std::string& name, const json& summary, const json& status, const json& codes) {
  const std::string mode = !text_of(summary, "mode").empty() ? text_of(summary, "mode") : text_of(status, "mode");
  const std::string in_mode = mode.empty() ? "" : " (" + mode + ")";
  const std::string state = text_of(status, "status"), why = text_of(status, "skipped");
  if (codes.contains(name) && codes[name].is_number_integer() && codes[name].get<int>() != 0) {
    const int code = codes[name].get<int>();
    return {(code == 130 ? "interrupted" : "failed") + std::string(" (exit ") + std::to_string(code) + ")" + in_mode,
            "fail"};
  }
  if (state == "skipped") return {"skipped: " + why + in_mode, "skipped"};
  if (state == "partial")
    return {"ran in part" + in_mode + ": " + text_of(status, "ran") + " ran; " + text_of(status, "not_run") +
                " skipped: " + why,
            "partial"};
  if (summary.is_object())
    return summary.value("interrupted", false) ? Verdict{"interrupted" + in_mode, "fail"} : Verdict{"ran" + in_mode, "pass"};
  return {"no results", "info"};
}

// The line that says why a lab was skipped (all or part of it) and how to run it.
std::string skip_line(const std::string& name, const json& status) {
  const std::string state = text_of(status, "status");
  std::string why = text_of(status, "skipped");
  if (!text_of(status, "reason").empty()) why += " (" + text_of(status, "reason") + ")";
  std::string line;
  if (state == "partial") {
    std::string not_run = text_of(status, "not_run");
    if (!not_run.empty()) not_run[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(not_run[0])));
    line = html_escape(not_run) + " was skipped: " + html_escape(why) + "; " + html_escape(text_of(status, "ran")) +
           " ran. To run all of it, ";
  } else {
    line = "Skipped: " + html_escape(why) + ". To run it, ";
  }
  std::string how = text_of(status, "how");
  if (how.empty()) how = "give it what it needs";
  line += html_escape(how);
  if (!text_of(status, "needs").empty()) line += " (DIR: " + html_escape(text_of(status, "needs")) + ")";
  if (text_of(status, "skipped") == "no MNIST")
    line += ": <code>GRADLAB_DATA=DIR ./workbench run</code>, or <code>build/bin/" + html_escape(name) +
            " --data DIR</code>";
  return "<p class=\"skip-line\">" + line + ".</p>\n";
}

std::vector<fs::path> files_with(const fs::path& folder, const std::string& extension) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == extension) found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

struct Section {
  std::string name;
  Verdict verdict;
  std::string body;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Gather every figure and table of a run into OUT/index.html, with a verdict per section.",
               "make-index"};
  std::string out = "out";
  std::string source;
  app.add_option("out", out, "the results folder");
  app.add_option("--source", source,
                 "the repository: each lab's sentence and link come from its labs/<lab>/README.md");
  return gradlab::run_main(app, argc, argv, [&] {
    if (!fs::is_directory(out)) throw std::runtime_error(out + " is not a folder of results");
    if (!source.empty() && !fs::is_directory(fs::path(source) / "labs"))
      throw std::invalid_argument("--source " + source + " has no labs/ folder (give the repository's root)");
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(out))
      if (entry.is_directory()) folders.push_back(entry.path());
    // The gradient-check tour first, then labs, then benchmarks, each alphabetically.
    auto rank = [](const fs::path& p) {
      const std::string n = p.filename().string();
      return n == "gradcheck" ? 0 : n.rfind("lab-", 0) == 0 ? 1 : 2;
    };
    std::sort(folders.begin(), folders.end(), [&](const fs::path& a, const fs::path& b) {
      return rank(a) != rank(b) ? rank(a) < rank(b) : a.filename() < b.filename();
    });

    // run.json: what tools/run_labs.sh recorded (the mode, the date, each lab's exit status).
    const json run = read_json(fs::path(out) / "run.json");
    const json codes = run.is_object() && run.contains("labs") && run["labs"].is_object() ? run["labs"] : json::object();
    // A lab run again by hand since: its exit status in run.json is no longer its last.
    auto newer_than_run = [&](const fs::path& folder) {
      std::error_code ec, ec_run;
      const auto run_time = fs::last_write_time(fs::path(out) / "run.json", ec_run);
      for (const char* file : {"summary.json", "status.json"}) {
        const auto t = fs::last_write_time(folder / file, ec);
        if (!ec && !ec_run && t > run_time) return true;
      }
      return false;
    };

    std::map<std::string, std::vector<std::string>> modes, seeds, blas;
    std::optional<fs::file_time_type> newest;
    std::vector<Section> sections;
    std::size_t figures = 0, labs = 0, labs_ran = 0, labs_failed = 0;
    std::map<std::string, std::vector<std::string>> skipped, partial;  // why -> labs
    std::string skip_how;
    for (const fs::path& folder : folders) {
      const std::string name = folder.filename().string();
      const bool is_lab = name.rfind("lab-", 0) == 0;
      const json summary = read_json(folder / "summary.json");
      const json report = read_json(folder / "report.json");
      const json status = read_json(folder / "status.json");
      for (const char* file : {"summary.json", "report.json", "status.json"}) {
        std::error_code ec;
        const auto t = fs::last_write_time(folder / file, ec);
        if (!ec && (!newest || t > *newest)) newest = t;
      }
      if (const std::string m = !text_of(summary, "mode").empty() ? text_of(summary, "mode") : text_of(status, "mode");
          !m.empty())
        modes[m].push_back(name);
      for (const json* j : {&summary, &report}) {
        if (const std::string s = seeds_text(*j); !s.empty()) seeds[s].push_back(name);
        if (const std::string b = blas_text(j->is_object() && j->contains("blas") ? (*j)["blas"] : json()); !b.empty())
          blas[b].push_back(name);
      }

      // The tables and figures, counted for the verdict of a section that is neither.
      std::string content;
      std::size_t tables = 0, pictures = 0;
      if (fs::exists(folder / "README.txt")) content += "<p>" + html_escape(read(folder / "README.txt")) + "</p>\n";
      if (report.is_object() && report.contains("checks") && report["checks"].is_array()) {
        content += gradcheck_table(report);
        ++tables;
      } else if (fs::exists(folder / "report.json")) {
        content += "<p>unreadable report: " + html_escape((folder / "report.json").string()) + "</p>\n";
      }
      for (const fs::path& csv : files_with(folder, ".csv")) {
        const std::string file = csv.filename().string();
        if (file.rfind("comparison", 0) != 0 && file.rfind("table", 0) != 0) continue;
        const fs::path title = folder / (file + ".title");
        content += titled_table(fs::exists(title) ? trim(read(title)) : file, csv_table(csv));
        ++tables;
      }
      for (const fs::path& png : files_with(folder, ".png")) {
        const std::string stem = png.stem().string();
        const fs::path svg = folder / (stem + ".svg"), script = folder / (stem + ".gp");
        const std::string rel = name + "/" + png.filename().string();
        std::string title = fs::exists(script) ? gnuplot_title(script) : "";
        if (title.empty()) title = stem;
        content += "<figure><a href=\"" + html_escape(fs::exists(svg) ? name + "/" + stem + ".svg" : rel) + "\"><img src=\"" +
                   html_escape(rel) + "\" alt=\"" + html_escape(title) + "\"></a><figcaption>" + html_escape(title) +
                   (fs::exists(script) ? " (<a href=\"" + html_escape(name + "/" + stem + ".gp") + "\">gnuplot script</a>)" : "") +
                   "</figcaption></figure>\n";
        ++pictures;
      }
      figures += pictures;

      Section section{name, {}, ""};
      if (report.is_object() && report.contains("checks") && report["checks"].is_array())
        section.verdict = gradcheck_verdict(report);
      else if (is_lab)
        section.verdict = lab_verdict(name, summary, status, newer_than_run(folder) ? json::object() : codes);
      else
        section.verdict = {tables + pictures == 0 ? std::string("no tables or figures")
                                                  : plural(tables, "table") + ", " + plural(pictures, "figure"),
                           "info"};

      std::string& body = section.body;
      body += "<section id=\"" + html_escape(name) + "\">\n<h2>" + html_escape(name) + "</h2>\n<p class=\"verdict " +
              section.verdict.state + "\">" + html_escape(section.verdict.text) + "</p>\n";
      if (is_lab && !source.empty()) {
        const fs::path readme = fs::path(source) / "labs" / name / "README.md";
        if (fs::exists(readme)) {
          std::error_code ec;
          fs::path link = fs::relative(fs::absolute(readme), fs::absolute(out), ec);
          if (ec || link.empty()) link = fs::absolute(readme);
          const std::string sentence = readme_sentence(readme);
          body += "<p class=\"about\">" + (sentence.empty() ? "" : sentence_html(sentence) + " ") + "(<a href=\"" +
                  html_escape(link.generic_string()) + "\">labs/" + html_escape(name) + "/README.md</a>)</p>\n";
        }
      }
      const std::string state = text_of(status, "status");
      if (state == "skipped" || state == "partial") {
        body += skip_line(name, status);
        (state == "skipped" ? skipped : partial)[text_of(status, "skipped")].push_back(name);
        if (skip_how.empty()) skip_how = text_of(status, "how");
        // A skip leaves an earlier run's files in place: say whose they are.
        if (state == "skipped" && tables + pictures > 0)
          body += "<p class=\"note\">The tables and figures below are from an earlier run.</p>\n";
      }
      body += content;
      for (const char* file : {"summary.json", "status.json", "history.csv"})
        if (fs::exists(folder / file))
          body += "<p><a href=\"" + html_escape(name + "/" + file) + "\">" + file + "</a></p>\n";
      body += "</section>\n";
      if (is_lab) {
        ++labs;
        labs_ran += section.verdict.state == "pass";
        labs_failed += section.verdict.state == "fail";
      }
      sections.push_back(std::move(section));
    }

    // "3 of 8 labs skipped (lab-batchnorm in part): no MNIST; pass --data DIR or set GRADLAB_DATA"
    std::vector<std::string> skip_lines;
    std::set<std::string> whys;
    for (const auto& [why, names] : skipped) whys.insert(why);
    for (const auto& [why, names] : partial) whys.insert(why);
    for (const std::string& why : whys) {
      const auto& in_part = partial[why];
      const std::size_t n = skipped[why].size() + in_part.size();
      skip_lines.push_back(std::to_string(n) + " of " + std::to_string(labs) + " labs skipped" +
                           (in_part.empty() ? "" : " (" + joined(in_part) + " in part)") + ": " + why +
                           (skip_how.empty() ? "" : "; " + skip_how));
    }

    std::string mode = grouped(modes);
    if (const std::string m = text_of(run, "mode"); !m.empty()) {
      std::vector<std::string> other;
      for (const auto& [value, names] : modes)
        if (value != m) other.push_back(value + " in " + joined(names));
      mode = m + (other.empty() ? "" : " (but " + joined(other, "; ") + ")");
    }
    std::string date = text_of(run, "date");
    if (!date.empty())
      date += " (the end of ./workbench run)";
    else if (newest)
      date = utc(std::chrono::system_clock::to_time_t(std::chrono::file_clock::to_sys(*newest))) +
             " (the newest report)";
    else
      date = utc(std::time(nullptr)) + " (this page)";
    std::size_t labs_skipped = 0, labs_partial = 0;
    for (const auto& [why, names] : skipped) labs_skipped += names.size();
    for (const auto& [why, names] : partial) labs_partial += names.size();

    std::string header = "<table class=\"run\">\n";
    auto row = [&](const std::string& key, const std::string& value) {
      header += "<tr><th>" + key + "</th><td>" + html_escape(value) + "</td></tr>\n";
    };
    row("mode", mode);
    row("seeds", grouped(seeds));
    row("date", date);
    row("machine", machine());
    row("BLAS", grouped(blas));
    if (labs > 0)
      row("labs", std::to_string(labs) + ": " + std::to_string(labs_ran) + " ran, " + std::to_string(labs_partial) +
                      " ran in part, " + std::to_string(labs_skipped) + " skipped, " +
                      std::to_string(labs_failed) + " failed");
    header += "</table>\n";
    for (const std::string& line : skip_lines) header += "<p class=\"skip-line\">" + html_escape(line) + "</p>\n";

    std::string contents = "<h2>Contents</h2>\n<ul class=\"toc\">\n", body;
    for (const Section& s : sections) {
      contents += "<li><a href=\"#" + html_escape(s.name) + "\">" + html_escape(s.name) + "</a>: <span class=\"" +
                  s.verdict.state + "\">" + html_escape(s.verdict.text) + "</span></li>\n";
      body += s.body;
    }
    contents += "</ul>\n";
    const std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>gradlab results</title>\n"
        "<style>body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em;color:#222}"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;"
        "font-size:90%;text-align:left}th{background:#f0f0f0}figure{display:inline-block;margin:0.5em}"
        "img{max-width:560px;border:1px solid #ddd}.PASS,.pass{color:#080}.FAIL,.fail{color:#c00;font-weight:bold}"
        ".KINK,.partial{color:#a60}.skipped{color:#777}.verdict{font-weight:bold}.skip-line{background:#fff6e0;"
        "padding:4px 8px;border-left:4px solid #e0a000}.note{color:#777;font-style:italic}.about{font-style:italic}"
        "details{margin:0.5em 0 1.5em}summary{cursor:pointer;font-weight:bold;margin:0.5em 0}"
        "table.run th{width:6em}tr.beyond-sd td{background:#fde2df}tr.beyond-sd td:nth-child(4){font-weight:bold;"
        "color:#b00000}</style></head><body>\n<h1>gradlab results</h1>\n" +
        header + contents + body + "</body></html>\n";
    gradlab::io::write_file_atomically(fs::path(out) / "index.html", html);
    for (const Section& s : sections) std::cout << s.name << ": " << s.verdict.text << '\n';
    for (const std::string& line : skip_lines) std::cout << line << '\n';
    std::cout << "wrote " << (fs::path(out) / "index.html").string() << ": " << plural(sections.size(), "section")
              << ", " << plural(figures, "figure") << '\n';
    return 0;
  });
}
