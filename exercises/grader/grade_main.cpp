// grade: a teacher's side of the exercises. Grades a class, DIR holding one folder per student,
// each with any of the exercises' files (NAME.cpp, or NAME.py for the NumPy twin), and writes
//   OUT/grades.csv     one row per student and file: status, diagnosis, max rel error, message
//   OUT/summary.html   per exercise: how many pass, and which mistakes are most common (what to
//                      explain in the next lecture); then the class as a table
//   OUT/summary.json   the same counts, for programs
// Students are graded in parallel (--jobs, one per core by default), each file in a process of
// its own with a time limit: a file that does not compile, crashes, hangs or returns NaN is
// recorded as such and the others go on. Grades are cached in OUT/cache/ by the SHA-256 of the
// file and the grader, so a rerun grades only what changed.
#include "exercises.hpp"
#include "session.hpp"

#include "gradlab/io/files.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/programs/cli.hpp"
#include "gradlab/programs/html.hpp"
#include "gradlab/text.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

using namespace gradlab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {


struct Row {
  std::string student, exercise, language;
  json grade;
};

// One exercise's grades over the class: the counts, and the failures' diagnoses with the
// students who made them, most common first.
struct Tally {
  std::string exercise;
  int files = 0, pass = 0, fail = 0, todo = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> mistakes;
};

// The exercises with at least one file, in the exercises' order.
std::vector<Tally> tally(const std::vector<Row>& rows) {
  std::vector<Tally> tallies;
  for (const exercises::Exercise& e : exercises::all()) {
    Tally t;
    t.exercise = e.name;
    std::map<std::string, std::vector<std::string>> by_diagnosis;
    for (const Row& r : rows) {
      if (r.exercise != e.name) continue;
      ++t.files;
      const std::string status = r.grade.value("status", "");
      status == "pass" ? ++t.pass : status == "todo" ? ++t.todo : ++t.fail;
      if (status == "fail") by_diagnosis[r.grade.value("diagnosis", "")].push_back(r.student);
    }
    if (t.files == 0) continue;
    t.mistakes.assign(by_diagnosis.begin(), by_diagnosis.end());
    std::stable_sort(t.mistakes.begin(), t.mistakes.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    tallies.push_back(std::move(t));
  }
  return tallies;
}

std::string summary_html(const std::vector<Row>& rows, const std::vector<Tally>& tallies,
                         const std::vector<std::string>& students, const fs::path& dir) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>gradlab: class "
      "grades</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em;"
      "color:#222}table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;"
      "padding:2px 8px;font-size:90%;text-align:left}th{background:#f0f0f0}.pass{background:#dfd}"
      ".fail{background:#fdd}.todo{background:#eee}</style></head><body>\n<h1>Class grades: " +
      html_escape(dir.filename().string()) + "</h1>\n<p>" + std::to_string(students.size()) +
      " students, " + std::to_string(rows.size()) +
      " files graded. Per exercise, the mistakes the checker diagnosed, most common first: what to "
      "explain in the next lecture.</p>\n<table>\n<tr><th>exercise</th><th>files</th><th>pass</th>"
      "<th>fail</th><th>todo</th><th>most common mistakes (students)</th></tr>\n";
  for (const Tally& t : tallies) {
    std::string mistakes;
    for (const auto& [diagnosis, who] : t.mistakes) {
      std::string names;
      for (std::size_t i = 0; i < who.size() && i < 5; ++i) names += (i ? ", " : "") + who[i];
      if (who.size() > 5) names += ", ...";
      mistakes += "<b>" + html_escape(diagnosis.empty() ? "no known pattern" : diagnosis) + "</b> " +
                  std::to_string(who.size()) + " (" + html_escape(names) + ")<br>";
    }
    html += "<tr><td>" + html_escape(t.exercise) + "</td><td>" + std::to_string(t.files) +
            "</td><td>" + std::to_string(t.pass) + "</td><td>" + std::to_string(t.fail) +
            "</td><td>" + std::to_string(t.todo) + "</td><td>" + mistakes + "</td></tr>\n";
  }
  html += "</table>\n<h2>Every student</h2>\n<table>\n<tr><th>student</th>";
  for (const exercises::Exercise& e : exercises::all()) html += "<th>" + html_escape(e.name) + "</th>";
  html += "</tr>\n";
  for (const std::string& student : students) {
    html += "<tr><td>" + html_escape(student) + "</td>";
    for (const exercises::Exercise& e : exercises::all()) {
      std::string cell, cls;
      for (const Row& r : rows) {
        if (r.student != student || r.exercise != e.name) continue;
        const std::string status = r.grade.value("status", "");
        cls = status;
        cell += (cell.empty() ? "" : " / ") +
                (status == "fail" ? r.grade.value("diagnosis", "fail") : status) +
                (r.language == "python" ? " (py)" : "");
      }
      html += "<td class=\"" + html_escape(cls) + "\" title=\"" + html_escape(cell) + "\">" + html_escape(cell) + "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</table>\n<p>Each file's message: grades.csv.</p>\n</body></html>\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Grade a class: one folder per student, each with exercise files (NAME.cpp, NAME.py).",
               "grade"};
  std::string dir, out;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  double time_limit = 10.0;
  app.add_option("dir", dir, "the class: one folder per student")->required();
  app.add_option("--out", out, "where the grades go (default: out/grade/<DIR's name>)");
  app.add_option("--jobs", jobs, "students graded at once")->check(CLI::Range(1u, 256u));
  app.add_option("--time-limit", time_limit, "seconds one file's grading may take")
      ->check(CLI::Range(0.1, 3600.0));
  return run_main(app, argc, argv, [&] {
    if (!fs::is_directory(dir)) throw std::invalid_argument(dir + " is not a folder of students");
    const fs::path class_dir = fs::weakly_canonical(fs::path(dir));
    const fs::path out_dir = out.empty() ? fs::path("out") / "grade" / class_dir.filename() : fs::path(out);
    exercises::Toolkit kit = exercises::toolkit(argv[0]);
    kit.time_limit = time_limit;

    std::vector<std::string> students;
    for (const auto& entry : fs::directory_iterator(class_dir))
      if (entry.is_directory()) students.push_back(entry.path().filename().string());
    std::sort(students.begin(), students.end());
    if (students.empty()) throw std::invalid_argument(dir + " holds no student folders");

    // Each student's files, in the exercises' order, C++ before Python.
    std::vector<std::vector<exercises::Submission>> work(students.size());
    std::size_t total = 0;
    for (std::size_t s = 0; s < students.size(); ++s) {
      for (const char* extension : {".cpp", ".py"})
        for (const exercises::Exercise& e : exercises::all()) {
          const fs::path file = class_dir / students[s] / (e.name + extension);
          if (fs::is_regular_file(file)) work[s].push_back({e.name, file});
        }
      total += work[s].size();
    }

    const auto start = std::chrono::steady_clock::now();
    std::vector<std::vector<json>> grades(students.size());
    std::atomic<std::size_t> next{0}, done{0}, reused{0};
    std::mutex print;
    std::vector<std::string> failures;
    auto worker = [&] {
      for (std::size_t s; (s = next++) < students.size();) {
        try {
          std::size_t from_cache = 0;
          grades[s] = exercises::grade_student(kit, work[s], out_dir / "work" / std::to_string(s),
                                               out_dir / "cache" / students[s], &from_cache);
          reused += from_cache;
        } catch (const std::exception& e) {  // the grader's own trouble (a disk full): say whose
          std::lock_guard<std::mutex> lock(print);
          failures.push_back(students[s] + ": " + e.what());
        }
        const std::size_t n = ++done;
        if (n % 10 == 0 || n == students.size()) {
          std::lock_guard<std::mutex> lock(print);
          std::cerr << "grade: " << n << " of " << students.size() << " students\r" << std::flush;
        }
      }
    };
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < std::min<std::size_t>(jobs, students.size()); ++j) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();
    std::cerr << "\n";
    if (!failures.empty()) {
      for (const std::string& f : failures) std::cerr << "grade: " << f << "\n";
      throw std::runtime_error("the grader could not grade " + std::to_string(failures.size()) +
                               " students (above); nothing written");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::vector<Row> rows;
    std::string csv = "student,exercise,language,status,diagnosis,max_rel_error,message\n";
    for (std::size_t s = 0; s < students.size(); ++s)
      for (std::size_t i = 0; i < work[s].size(); ++i) {
        const json& g = grades[s][i];
        const std::string language = work[s][i].python() ? "python" : "c++";
        rows.push_back({students[s], work[s][i].exercise, language, g});
        const std::string error =
            g["max_rel_error"].is_number() ? text::sci(g["max_rel_error"].get<double>()) : "";
        csv += output::csv_cell(students[s]) + "," + work[s][i].exercise + "," + language + "," +
               g.value("status", "") + "," + output::csv_cell(g.value("diagnosis", "")) + "," +
               error + "," + output::csv_cell(g.value("message", "")) + "\n";
      }
    fs::create_directories(out_dir);
    io::write_file_atomically(out_dir / "grades.csv", csv);
    const std::vector<Tally> tallies = tally(rows);
    io::write_file_atomically(out_dir / "summary.html", summary_html(rows, tallies, students, class_dir));

    json summary = {{"students", students.size()}, {"files", total}, {"graded", total - reused},
                    {"seconds", seconds},
                    {"jobs", jobs}, {"exercises", json::object()}};
    text::Table table({"exercise", "files", "pass", "fail", "todo", "most common mistake"});
    for (const Tally& t : tallies) {
      json diagnoses = json::object();
      for (const auto& [diagnosis, who] : t.mistakes) diagnoses[diagnosis] = who.size();
      summary["exercises"][t.exercise] = {
          {"files", t.files},
          {"status", {{"pass", t.pass}, {"fail", t.fail}, {"todo", t.todo}}},
          {"diagnoses", diagnoses}};
      table.add_row({t.exercise, std::to_string(t.files), std::to_string(t.pass),
                     std::to_string(t.fail), std::to_string(t.todo),
                     t.mistakes.empty() ? "" : t.mistakes.front().first + " (" +
                                               std::to_string(t.mistakes.front().second.size()) + ")"});
    }
    io::write_file_atomically(out_dir / "summary.json", summary.dump(2) + "\n");
    table.print(std::cout);
    std::cout << "graded " << total - reused << " files of " << students.size() << " students in "
              << text::fixed(seconds, 1) << " s with " << jobs << " jobs; " << reused
              << " unchanged files kept their grades\nwrote "
              << (out_dir / "grades.csv").string() << " and " << (out_dir / "summary.html").string()
              << "\n";
    return 0;
  });
}
