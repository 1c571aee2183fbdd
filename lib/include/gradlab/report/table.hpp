#pragma once
// Aligned tables for the terminal: a header row, then rows of cells, each column as wide as its
// widest cell. Text columns are left-aligned, numbers right-aligned.
#include <iosfwd>
#include <string>
#include <vector>

namespace gradlab::report {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);  // as many cells as headers
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "1.2e-09" style scientific notation with `digits` significant digits.
std::string sci(double value, int digits = 2);
// Fixed notation with `decimals` decimals.
std::string fixed(double value, int decimals = 2);

}  // namespace gradlab::report
