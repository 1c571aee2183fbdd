#include "gradlab/report/csv.hpp"

#include "gradlab/report/files.hpp"
#include "gradlab/shape.hpp"

#include <cmath>
#include <cstdio>

namespace gradlab::report {

Csv::Csv(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void Csv::add_row(std::vector<std::string> cells) {
  require(cells.size() == columns_.size(), "Csv::add_row",
          std::to_string(cells.size()) + " cells for " + std::to_string(columns_.size()) +
              " columns");
  rows_.push_back(std::move(cells));
}

void Csv::add_row(const std::vector<double>& values) {
  std::vector<std::string> cells;
  for (double v : values) cells.push_back(number(v));
  add_row(std::move(cells));
}

std::string Csv::text() const {
  auto line = [](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t i = 0; i < cells.size(); ++i) s += (i ? "," : "") + cells[i];
    return s + "\n";
  };
  std::string s = line(columns_);
  for (const auto& row : rows_) s += line(row);
  return s;
}

void Csv::write(const std::filesystem::path& path) const { write_file_atomically(path, text()); }

std::string number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

}  // namespace gradlab::report
