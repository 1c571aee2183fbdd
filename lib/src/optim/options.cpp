#include "options.hpp"

#include "gradlab/shape.hpp"

#include <sstream>

namespace gradlab::optim::detail {

std::string format_value(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Written as !(value > 0) and so on, so that NaN fails every check.
void require_positive(const char* who, const char* option, double value) {
  require(value > 0.0, who,
          [&] { return std::string(option) + " = " + format_value(value) + " must be > 0"; });
}

void require_nonnegative(const char* who, const char* option, double value) {
  require(value >= 0.0, who,
          [&] { return std::string(option) + " = " + format_value(value) + " must be >= 0"; });
}

void require_unit_interval(const char* who, const char* option, double value) {
  require(value >= 0.0 && value < 1.0, who,
          [&] { return std::string(option) + " = " + format_value(value) + " is outside [0, 1)"; });
}

}  // namespace gradlab::optim::detail
