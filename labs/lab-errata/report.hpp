#pragma once
// lab-errata's table and figure: table-errata.csv (report, equation, formula as printed, reading,
// verdict, max relative error, corrected formula, whose error), errors.csv and its figure of the
// max relative error per formula.
#include "compare.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

namespace lab_errata {

// How many formulas hold as printed, and the rows for summary.json.
struct Tally {
  int holds = 0, fails = 0;
  nlohmann::json formulas = nlohmann::json::array();
};

// Prints the table of rows and writes the table, errors.csv and the figure into out.
Tally write_errata(const std::vector<Row>& rows, const std::filesystem::path& out);

}  // namespace lab_errata
