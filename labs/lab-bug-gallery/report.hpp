#pragma once
// lab-bug-gallery's tables: the gallery (table-bugs.csv, one row per network: the default
// check's verdict and error, where the error sits, the diagnosis, and what training does with
// the bug) and the kill matrix (kill-matrix.csv and its figure, table-kill-matrix.csv).
#include "checks.hpp"

#include "gradlab/output/csv.hpp"
#include "gradlab/text.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace lab_bug_gallery {

class GalleryTable {
 public:
  GalleryTable();
  // The row of one network: r, the default check of the whole network; found, its bisection;
  // map, where the error sits; trained, its training run; control, the same network's without a bug.
  void add(const BugInfo& info, const gradlab::check::CheckResult& r, const Finding& found, const ErrorMap& map,
           const TrainResult& trained, const TrainResult& control);
  // Prints the table and writes table-bugs.csv (and its title) into out.
  void write(const std::filesystem::path& out, int epochs) const;
  // The rows for summary.json.
  const nlohmann::json& json() const { return json_; }

 private:
  gradlab::text::Table table_;
  gradlab::output::Csv csv_;
  nlohmann::json json_ = nlohmann::json::array();
};

// The kill matrix: fails[i][j], whether setting j fails network i; names_it[i], whether the
// default check's diagnosis (after bisection) names network i's bug class (for a control: names
// none), drawn as a last column. Writes kill-matrix.csv (the figure's data, short marks),
// table-kill-matrix.csv (long marks) and its title, and the figure; returns the cells for
// summary.json.
nlohmann::json write_kill_matrix(const std::vector<BugInfo>& rows, const std::vector<Setting>& settings,
                                 const std::vector<std::vector<bool>>& fails, const std::vector<bool>& names_it,
                                 const std::filesystem::path& out);

}  // namespace lab_bug_gallery
