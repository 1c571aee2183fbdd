#pragma once
// CSV tables: a header row of column names, then rows. Numbers are written with 10 significant
// digits (%.10g), which round-trips every figure a plot or table shows.
#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::output {

// CSV as RFC 4180 writes it: a cell with a comma, a double quote or a line break is quoted, its
// quotes doubled ("max(-x, 0.01 x)" stays one cell); the others are written as they are.
std::string csv_cell(const std::string& cell);
// One line of such a file back into its cells (quoted cells unquoted).
std::vector<std::string> parse_csv_line(const std::string& line);

class Csv {
 public:
  explicit Csv(std::vector<std::string> columns);
  // One row, as many cells as columns; add_row with numbers formats them.
  void add_row(std::vector<std::string> cells);
  void add_row(const std::vector<double>& values);
  std::string text() const;
  // Written atomically (io/files.hpp).
  void write(const std::filesystem::path& path) const;
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t rows() const { return rows_.size(); }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace gradlab::output
