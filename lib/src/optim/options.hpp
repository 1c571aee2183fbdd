#pragma once
// Range checks for optimiser and schedule options (private to lib/src/optim). Each throws
// std::invalid_argument("<who>: <option> = <value> ...") naming the option and the value.
#include <string>

namespace gradlab::optim::detail {

// The value as messages print it: shortest form, "0.1", "1e-08", "nan".
std::string format_value(double value);

void require_positive(const char* who, const char* option, double value);       // value > 0
void require_nonnegative(const char* who, const char* option, double value);    // value >= 0
void require_unit_interval(const char* who, const char* option, double value);  // 0 <= value < 1

}  // namespace gradlab::optim::detail
