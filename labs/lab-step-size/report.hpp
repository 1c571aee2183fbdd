#pragma once
// lab-step-size's tables: the best step of each scheme with its fitted slope
// (table-best-steps.csv), and the Taylor test's slopes (table-taylor.csv).
#include "schemes.hpp"
#include "taylor.hpp"

#include "gradlab/check/taylor.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/text.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

namespace lab_step_size {

class BestStepTable {
 public:
  BestStepTable();
  // One row per scheme of e: its best step, the error there, and the slope check.
  void add(const Experiment& e);
  // Prints the table and writes table-best-steps.csv (and its title) into out.
  void write(const std::filesystem::path& out) const;
  // The rows for summary.json.
  const nlohmann::json& json() const { return json_; }

 private:
  gradlab::output::Csv csv_;
  gradlab::text::Table table_;
  nlohmann::json json_ = nlohmann::json::array();
};

// Prints the Taylor test's table (reports[k] the test of cases[k], ok[k] whether its slope is in
// its band) and writes table-taylor.csv (and its title) into out; returns the rows for summary.json.
nlohmann::json write_taylor_table(const std::vector<TaylorCase>& cases,
                                  const std::vector<gradlab::check::TaylorResult>& reports,
                                  const std::vector<bool>& ok, const std::filesystem::path& out);

}  // namespace lab_step_size
