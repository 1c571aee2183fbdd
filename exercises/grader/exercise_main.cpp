// exercise: the student's side of the exercises (exercises/README.md).
//   exercise                 every exercise with its status: todo, failing or passing
//   exercise NAME            grade exercises/NAME/NAME.cpp: PASS, or FAIL with the diagnosis,
//                            the worst entry and what to read next
//   exercise NAME --python   grade the NumPy twin, exercises/NAME/NAME.py
//   exercise NAME --file F   grade another file (.cpp or .py)
//   exercise NAME --hint N   print hint N (1 to 3)
//   exercise NAME --reference   grade the library's own op (it passes)
// Progress is kept in OUT/exercises/progress.json (written atomically; an unreadable one is set
// aside, never overwritten) and shown as a table of OUT/index.html.
// Exit status: 0 when the exercise passes (or for a list or a hint), 1 when it fails, 3 when it
// is still todo, 2 on bad usage.
#include "exercises.hpp"
#include "session.hpp"

#include "gradlab/io/files.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/programs/cli.hpp"
#include "gradlab/text.hpp"

#include <chrono>
#include <ctime>
#include <iostream>
#include <sstream>

using namespace gradlab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return text;
}

// The progress file: {"exercises": {NAME: {"cpp": GRADE, "python": GRADE, "hints": N,
// "attempts": N}}}, each GRADE {"status", "diagnosis", "message", "time"}.
class Progress {
 public:
  explicit Progress(fs::path folder) : folder_(std::move(folder)), file_(folder_ / "progress.json") {
    if (!fs::exists(file_)) return;
    try {
      data_ = json::parse(io::read_file(file_), nullptr, false);
    } catch (const std::runtime_error&) {
      data_ = json(nullptr);  // unreadable: set aside below like a broken one
    }
    if (data_.is_discarded() || !data_.is_object() || !data_.contains("exercises") ||
        !data_["exercises"].is_object()) {
      const fs::path aside = folder_ / ("progress.json.unreadable-" + std::to_string(std::time(nullptr)));
      fs::rename(file_, aside);
      std::cerr << "exercise: " << file_.string() << " was unreadable; kept as " << aside.string()
                << ", progress starts afresh\n";
      data_ = json::object();
    }
  }
  json& of(const std::string& name) {
    if (!data_.contains("exercises")) data_["exercises"] = json::object();
    json& e = data_["exercises"][name];
    if (!e.is_object()) e = json::object();
    return e;
  }
  // The exercise's latest grade in one language; an attempt when the student asked for it.
  void record(const std::string& name, bool python, const json& grade, bool attempt = true) {
    json& e = of(name);
    if (attempt) e["attempts"] = e.value("attempts", 0) + 1;
    e[python ? "python" : "cpp"] = {{"status", grade["status"]},
                                    {"diagnosis", grade["diagnosis"]},
                                    {"message", grade["message"]},
                                    {"time", now_utc()}};
  }
  void save() {
    fs::create_directories(folder_);
    io::write_file_atomically(file_, data_.dump(2) + "\n");
    // The table make-index shows on OUT/index.html.
    std::string csv = "exercise,C++,Python,diagnosis,hints read,attempts\n";
    for (const exercises::Exercise& e : exercises::all()) {
      const json& p = of(e.name);
      auto status = [&](const char* language) {
        return p.contains(language) ? listed(p[language].value("status", "")) : std::string("-");
      };
      std::string diagnosis;
      for (const char* language : {"cpp", "python"})
        if (p.contains(language) && !p[language].value("diagnosis", "").empty())
          diagnosis = p[language].value("diagnosis", "");
      csv += output::csv_cell(e.name) + "," + status("cpp") + "," + status("python") + "," +
             output::csv_cell(diagnosis) + "," + std::to_string(p.value("hints", 0)) + "," +
             std::to_string(p.value("attempts", 0)) + "\n";
    }
    io::write_file_atomically(folder_ / "table-progress.csv", csv);
    io::write_file_atomically(folder_ / "table-progress.csv.title",
                              "Exercises: your progress (./workbench exercise NAME)");
    io::write_file_atomically(folder_ / "README.txt",
                              "The exercises of exercises/: each asks for one derivative of the "
                              "reports, graded by the checker (./workbench exercise).");
  }
  // "todo", "failing", "passing": a grade's status as the list says it.
  static std::string listed(const std::string& status) {
    return status == "pass" ? "passing" : status == "todo" ? "todo" : "failing";
  }

 private:
  fs::path folder_, file_;
  json data_ = json::object();
};

fs::path student_file(const exercises::Toolkit& kit, const std::string& name, bool python) {
  return kit.exercises / name / (name + (python ? ".py" : ".cpp"));
}

// A path as the student typed it, or relative to where they stand when it lies below it.
std::string shown(const fs::path& path) {
  std::error_code error;
  const fs::path relative = fs::relative(path, fs::current_path(error), error);
  if (error || relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

void print_grade(const exercises::Exercise& e, const json& grade) {
  std::cout << grade.value("message", "") << "\n";
  const json& check = grade["check"];
  if (!check.is_object()) return;
  text::Table table({"tensor", "shape", "checked", "failed", "max rel err", "verdict"});
  for (const json& t : check["tensors"]) {
    char rel[32];
    std::snprintf(rel, sizeof rel, "%.2e", t.value("max_rel_error", 0.0));
    table.add_row({t.value("tensor", ""),
                   std::to_string(t.value("rows", 0)) + "x" + std::to_string(t.value("cols", 0)),
                   std::to_string(t.value("checked", 0)),
               std::to_string(t.value("failed", 0)), rel, t.value("verdict", "")});
  }
  table.print(std::cout);
  (void)e;
}

int list(const exercises::Toolkit& kit, Progress& progress, const fs::path& folder, bool python) {
  std::vector<exercises::Submission> files;
  for (const exercises::Exercise& e : exercises::all())
    files.push_back({e.name, student_file(kit, e.name, python)});
  const std::vector<json> grades =
      exercises::grade_student(kit, files, folder / "work", folder / "cache");
  text::Table table({"exercise", "status", "diagnosis", "you write", "from"});
  int passing = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const exercises::Exercise& e = exercises::all()[i];
    const std::string status = Progress::listed(grades[i].value("status", ""));
    passing += status == "passing";
    progress.record(e.name, python, grades[i], false);  // a listing is not an attempt
    table.add_row({e.name, status, grades[i].value("diagnosis", ""), e.function, e.source});
  }
  table.print(std::cout);
  std::cout << passing << " of " << files.size() << " passing (" << (python ? "NumPy twins, " : "")
            << "exercises/NAME/NAME." << (python ? "py" : "cpp")
            << "). Grade one: ./workbench exercise NAME" << (python ? " --python" : "")
            << "; a hint: ./workbench exercise NAME --hint 1\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"List the exercises, grade one, or print a hint (exercises/README.md).", "exercise"};
  std::string name, file, out = "out";
  int hint = 0;
  bool python = false, reference = false;
  double time_limit = 10.0;
  app.add_option("name", name, "the exercise (none: list them all)");
  app.add_option("--hint", hint, "print hint N of the exercise (1, 2 or 3)")->check(CLI::Range(1, 3));
  app.add_flag("--python", python, "the NumPy twin, exercises/NAME/NAME.py");
  app.add_option("--file", file, "grade this file instead (.cpp, or .py for the NumPy twin)");
  app.add_flag("--reference", reference, "grade the library's own op (it passes)");
  app.add_option("--out", out, "the results folder; progress in OUT/exercises/");
  app.add_option("--time-limit", time_limit, "seconds one grading may take")
      ->check(CLI::Range(0.1, 3600.0));
  return run_main(app, argc, argv, [&] {
    exercises::Toolkit kit = exercises::toolkit(argv[0]);
    kit.time_limit = time_limit;
    const fs::path folder = fs::path(out) / "exercises";
    if (name.empty()) {
      if (hint || !file.empty() || reference)
        throw std::invalid_argument("--hint, --file and --reference need an exercise NAME");
      Progress progress(folder);
      const int status = list(kit, progress, folder, python);
      progress.save();
      return status;
    }
    const exercises::Exercise* e = exercises::find(name);
    if (!e)
      throw std::invalid_argument("no exercise '" + name + "' (the exercises: " + exercises::names() + ")");
    Progress progress(folder);
    if (hint > 0) {
      const std::vector<std::string> hints = exercises::hints_of(kit, name);
      if (hint > static_cast<int>(hints.size()))
        throw std::runtime_error("exercises/" + name + "/hints.md has " + std::to_string(hints.size()) + " hints");
      std::cout << name << ", hint " << hint << " of " << hints.size() << ":\n" << hints[hint - 1] << "\n";
      json& p = progress.of(name);
      p["hints"] = std::max(p.value("hints", 0), hint);
      progress.save();
      return 0;
    }
    if (!file.empty() && python && fs::path(file).extension() != ".py")
      throw std::invalid_argument("--python with --file needs a .py file, not " + file);
    const fs::path answer = !file.empty() ? fs::path(file) : student_file(kit, name, python);
    const bool is_python = answer.extension() == ".py";
    std::cout << name << ": " << e->title << "; " << e->source << "\n";
    json grade;
    if (reference) {
      std::cout << "the library's op\n";
      grade = exercises::grade_reference(kit, name, folder / "work");
    } else {
      std::cout << "file: " << shown(answer) << "\n";
      if (!fs::is_regular_file(answer)) throw std::runtime_error("no file " + answer.string());
      grade = exercises::grade_one(kit, {name, answer}, folder / "work");
    }
    print_grade(*e, grade);
    const std::string status = grade.value("status", "fail");
    if (!reference) {
      progress.record(name, is_python, grade);
      progress.save();
      const int read = progress.of(name).value("hints", 0);
      if (status == "todo")
        std::cout << "Next: read the statement, exercises/" << name << "/README.md, then write "
                  << e->function << " in " << shown(answer) << ".\n";
      else if (status == "fail")
        std::cout << "Next: "
                  << (read < 3 ? "./workbench exercise " + name + " --hint " + std::to_string(read + 1)
                               : "the worked derivation, " + e->derivation)
                  << "\n";
      else
        std::cout << "Well done. The worked derivation, to compare with yours: " << e->derivation << "\n";
    }
    return status == "pass" ? 0 : status == "todo" ? 3 : 1;
  });
}
