// lab-bug-gallery's tables: the gallery and the kill matrix (see report.hpp).
#include "report.hpp"

#include "figures.hpp"

#include "gradlab/check/print.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/programs/lab.hpp"

#include <algorithm>
#include <iostream>

using namespace gradlab;

namespace lab_bug_gallery {

GalleryTable::GalleryTable()
    : table_({"bug", "verdict", "max rel err", "where (heatmap)", "contract", "diagnosis", "accuracy with bug",
              "without", "training hides it?"}),
      csv_({"bug", "verdict (default check)", "max rel err", "where (heatmap tensor and worst element)",
            "its max |a - n| / max|n|", "contract", "diagnosis (first failing stage)", "test accuracy with the bug",
            "without (control)", "training hides it?"}) {}

void GalleryTable::add(const BugInfo& info, const check::CheckResult& r, const Finding& found, const ErrorMap& map,
                       const TrainResult& trained, const TrainResult& control) {
  const bool is_bug = info.bug != Bug::none;
  const bool caught = r.verdict() == check::Verdict::fail;
  const bool named = found.diagnosis.pattern == info.expected;
  const std::string diagnosis = is_bug ? found.where + ": " + check::to_string(found.diagnosis.pattern) : "-";
  double max_rel = 0.0;
  for (const auto& t : r.tensors) max_rel = std::max(max_rel, t.max_rel_error);
  // Training hides a bug that still learns to within 5 points of the network without it.
  const bool hidden_by_training = !trained.diverged && trained.accuracy >= control.accuracy - 0.05;
  const std::string accuracy = trained.diverged ? "diverged" : lab::percent(trained.accuracy);
  const std::string hides = !is_bug ? "-" : hidden_by_training ? "yes: it still learns" : "no: training visibly suffers";
  const std::string contract = r.contract.holds() ? "ok" : "BROKEN: " + r.contract.problem;
  const std::string where = map.tensor + " " + map.at + (map.second_call ? " (2nd call)" : "");
  table_.add_row({info.key, check::to_string(r.verdict()), text::sci(max_rel), where,
                  r.contract.holds() ? "ok" : "BROKEN", diagnosis + (named ? "" : " (WRONG)"), accuracy,
                  lab::percent(control.accuracy), hides});
  if (is_bug) table_.add_note("^ " + found.where + ": " + found.diagnosis.summary);
  csv_.add_row({info.title, check::to_string(r.verdict()), text::sci(max_rel), where, text::sci(map.error), contract,
                is_bug ? found.where + ": " + found.diagnosis.summary : "-", accuracy, lab::percent(control.accuracy),
                hides});
  json_.push_back({{"bug", info.key}, {"title", info.title}, {"verdict", check::to_string(r.verdict())},
                   {"caught", caught}, {"max_rel_error", max_rel}, {"worst_tensor", map.tensor},
                   {"contract", contract}, {"diagnosed_at", found.where},
                   {"diagnosis", check::to_json(found.diagnosis)},
                   {"expected_pattern", check::to_string(info.expected)}, {"diagnosis_names_it", named},
                   {"accuracy", trained.accuracy}, {"diverged", trained.diverged},
                   {"control_accuracy", control.accuracy}, {"hidden_by_training", is_bug && hidden_by_training}});
}

void GalleryTable::write(const std::filesystem::path& out, int epochs) const {
  std::cout << "\nThe gallery: default check (check_vjp, central, step 1e-5), then training (" << epochs
            << " epochs, momentum SGD)\n";
  table_.print(std::cout);
  csv_.write(out / "table-bugs.csv");
  io::write_file_atomically(out / "table-bugs.csv.title",
                            "The bug gallery: the default check's verdict and error, and what training does with the bug\n");
}

nlohmann::json write_kill_matrix(const std::vector<BugInfo>& rows, const std::vector<Setting>& settings,
                                 const std::vector<std::vector<bool>>& fails, const std::vector<bool>& names_it,
                                 const std::filesystem::path& out) {
  const std::string diagnosis_label = "diagnosis names the bug";
  std::vector<std::string> columns{"bug"};
  for (const Setting& s : settings) columns.push_back(s.label);
  columns.push_back(diagnosis_label);
  // kill-matrix.csv: the figure's data, with the short mark drawn in each cell ("ALARM" for a
  // false alarm, which the colour bar spells out); table-kill-matrix.csv has the long marks.
  output::Csv kill({"setting", "row", "value", "mark"});
  output::Csv kill_table(columns);
  const auto short_mark = [](const std::string& mark) { return mark == "FALSE ALARM" ? std::string("ALARM") : mark; };
  // One cell: 0 missed, 1 caught (bugs); 2 passes, 3 false alarm (controls).
  const auto cell = [&](std::size_t j, std::size_t i, bool is_bug, bool flagged, std::vector<std::string>& line) {
    const double value = is_bug ? (flagged ? 1.0 : 0.0) : (flagged ? 3.0 : 2.0);
    const std::string mark = is_bug ? (flagged ? "caught" : "MISSED") : (flagged ? "FALSE ALARM" : "pass");
    kill.add_row({std::to_string(j), std::to_string(i), text::number(value), short_mark(mark)});
    line.push_back(mark);
  };
  nlohmann::json json = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool is_bug = rows[i].bug != Bug::none;
    std::vector<std::string> line{rows[i].key};
    for (std::size_t j = 0; j < settings.size(); ++j) {
      cell(j, i, is_bug, fails[i][j], line);
      json.push_back({{"row", rows[i].key}, {"setting", settings[j].label}, {"fails", bool(fails[i][j])}});
    }
    // The diagnosis column: a bug named is caught; a control with no diagnosis passes.
    cell(settings.size(), i, is_bug, is_bug ? names_it[i] : !names_it[i], line);
    json.push_back({{"row", rows[i].key}, {"setting", diagnosis_label}, {"names_it", bool(names_it[i])}});
    kill_table.add_row(line);
  }
  kill.write(out / "kill-matrix.csv");
  kill_table.write(out / "table-kill-matrix.csv");
  io::write_file_atomically(out / "table-kill-matrix.csv.title",
                            "Kill matrix: which checker settings catch which bug (controls: no bug)\n");
  std::vector<std::string> titles;
  for (const BugInfo& b : rows) titles.push_back(b.title);
  lab::render_or_warn(kill_matrix_figure(titles, std::vector<std::string>(columns.begin() + 1, columns.end())), out);
  return json;
}

}  // namespace lab_bug_gallery
