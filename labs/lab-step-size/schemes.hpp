#pragma once
// lab-step-size's four difference schemes (forward, central, 5-point, complex step), their
// theoretical orders and best steps, and one experiment: a function's derivative error against
// the step under every scheme, in double or in float, with the best step and the fitted slope.
#include "functions.hpp"

#include <vector>

namespace lab_step_size {

enum class Scheme { forward, central, five_point, complex_step };
inline constexpr Scheme all_schemes[] = {Scheme::forward, Scheme::central, Scheme::five_point, Scheme::complex_step};

const char* scheme_key(Scheme s);    // "five_point"
const char* scheme_title(Scheme s);  // "5-point (Richardson)"
int theory_order(Scheme s);          // the slope of its truncation error: 1, 2, 4, 2

// The theoretical best step of each scheme: where truncation C h^p meets rounding eps / h,
// h ~ eps^(1 / (p + 1)); the complex step has no rounding term (NaN).
double theory_best_step(Scheme s, double eps);

// One scheme's error against the step, and what is read off it.
struct Curve {
  Scheme scheme;
  std::vector<double> error;  // relative error per step
  double best_h = 0.0, best_error = 0.0;
  double slope = NAN;         // fitted in the truncation regime
  double fit_lo = NAN, fit_hi = NAN, fit_anchor_h = NAN, fit_anchor_error = NAN;
  bool slope_ok = true;
  bool enforced = false;
};

// One function in one precision under every scheme.
struct Experiment {
  Problem problem;
  std::string precision;  // "double" or "float"
  double eps = 0.0;
  double exact = 0.0;
  std::vector<Curve> curves;
};

// The error of every scheme at every step (steps from large to small, per_decade of them per
// decade) on p, in double or (in_float) with p rounded to float and float arithmetic.
Experiment run_experiment(const Problem& p, bool in_float, const std::vector<double>& steps, int per_decade);

}  // namespace lab_step_size
