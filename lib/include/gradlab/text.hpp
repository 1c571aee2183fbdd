#pragma once
// Aligned tables for the terminal: a header row, then rows of cells, each column as wide as its
// widest cell. Text columns are left-aligned, numbers right-aligned.
#include <iosfwd>
#include <string>
#include <vector>

namespace gradlab::text {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);  // as many cells as headers
  // A line printed under the last row, indented, outside the columns (it sets no width).
  void add_note(std::string note);
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::vector<std::string>> notes_;  // notes_[k]: under rows_[k]
};

// "1.2e-09" style scientific notation with `digits` significant digits.
std::string sci(double value, int digits = 2);
// Fixed notation with `decimals` decimals.
std::string fixed(double value, int decimals = 2);
// A number as CSV text: %.10g (round-trips every figure a plot or table shows); NaN and
// infinities as "nan", "inf", "-inf".
std::string number(double value);

}  // namespace gradlab::text
