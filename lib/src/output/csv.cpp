#include "gradlab/output/csv.hpp"

#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"
#include "gradlab/shape.hpp"

#include <cmath>
#include <cstdio>

namespace gradlab::output {

std::string csv_cell(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::vector<std::string> parse_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cells.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else cells.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

Csv::Csv(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void Csv::add_row(std::vector<std::string> cells) {
  require(cells.size() == columns_.size(), "Csv::add_row",
          std::to_string(cells.size()) + " cells for " + std::to_string(columns_.size()) +
              " columns");
  rows_.push_back(std::move(cells));
}

void Csv::add_row(const std::vector<double>& values) {
  std::vector<std::string> cells;
  for (double v : values) cells.push_back(text::number(v));
  add_row(std::move(cells));
}

std::string Csv::text() const {
  auto line = [](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t i = 0; i < cells.size(); ++i) s += (i ? "," : "") + csv_cell(cells[i]);
    return s + "\n";
  };
  std::string s = line(columns_);
  for (const auto& row : rows_) s += line(row);
  return s;
}

void Csv::write(const std::filesystem::path& path) const { io::write_file_atomically(path, text()); }

}  // namespace gradlab::output
