#pragma once
// CSV tables: a header row of column names, then rows. Numbers are written with 10 significant
// digits (%.10g), which round-trips every figure a plot or table shows.
#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::report {

class Csv {
 public:
  explicit Csv(std::vector<std::string> columns);
  // One row, as many cells as columns; add_row with numbers formats them.
  void add_row(std::vector<std::string> cells);
  void add_row(const std::vector<double>& values);
  std::string text() const;
  // Written atomically (report/files.hpp).
  void write(const std::filesystem::path& path) const;
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t rows() const { return rows_.size(); }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// A number as CSV and JSON-free text: %.10g; NaN and infinities as "nan", "inf", "-inf".
std::string number(double value);

}  // namespace gradlab::report
