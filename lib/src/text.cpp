#include "gradlab/text.hpp"

#include "gradlab/shape.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace gradlab::text {

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add_row(std::vector<std::string> cells) {
  require(cells.size() == headers_.size(), "Table::add_row",
          std::to_string(cells.size()) + " cells for " + std::to_string(headers_.size()) +
              " columns");
  rows_.push_back(std::move(cells));
  notes_.emplace_back();
}

void Table::add_note(std::string note) {
  require(!rows_.empty(), "Table::add_note", "a note goes under a row, and there is none yet");
  notes_.back().push_back(std::move(note));
}

namespace {
bool looks_numeric(const std::string& s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' ||
                        s[0] == '+' || s[0] == '.');
}
}  // namespace

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> width(headers_.size());
  for (std::size_t c = 0; c < headers_.size(); ++c) {
    width[c] = headers_[c].size();
    for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - cells[c].size(), ' ');
      const bool right = !header && looks_numeric(cells[c]);
      text += right ? pad + cells[c] : cells[c] + pad;
      if (c + 1 < cells.size()) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(headers_, true);
  std::size_t total = 0;
  for (std::size_t w : width) total += w + 2;
  out << std::string(total > 2 ? total - 2 : 0, '-') << '\n';
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    line(rows_[r], false);
    for (const std::string& note : notes_[r]) out << "    " << note << '\n';
  }
}

std::string sci(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", std::max(0, digits - 1), value);
  return buffer;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

}  // namespace gradlab::text
