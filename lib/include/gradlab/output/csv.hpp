#pragma once
// CSV tables: a header row of column names, then rows. Numbers are written with 10 significant
// digits (%.10g), which round-trips every figure a plot or table shows.
#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::output {

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
