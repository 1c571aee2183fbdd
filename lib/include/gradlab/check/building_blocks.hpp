#pragma once
// What every check is built from (check_vjp, check_jacobian, check_directional, and the network
// checks of nn/network_check.hpp), so that their steps and results mean the same thing: the step
// taken at a value, the result a check starts from, and the per-tensor bookkeeping.
#include "gradlab/check/checker.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace gradlab::check::detail {

// The step taken at x: h = step max(1, |x|), relative to the perturbed value.
inline double step_for(double x, double step) { return step * std::max(1.0, std::abs(x)); }

// A result with its method, scheme and step set. Throws std::invalid_argument naming `who` when
// the step lies outside (0, 1).
inline CheckResult started_result(const char* who, const char* method, const Options& o) {
  CheckResult r;
  r.method = method;
  r.scheme = o.scheme;
  r.step = o.effective_step();
  require(r.step > 0.0 && r.step < 1.0 && std::isfinite(r.step), who,
          "step " + std::to_string(o.step) + " is outside (0, 1)");
  return r;
}

// Collects the per-element comparisons of one tensor.
class TensorAccumulator {
 public:
  TensorAccumulator(std::string name, arma::uword rows, arma::uword cols, const Tolerance& tol)
      : tol_(tol) {
    r_.name = std::move(name);
    r_.rows = rows;
    r_.cols = cols;
  }

  void add(arma::uword row, arma::uword col, double analytic, double numeric, Verdict v) {
    ++r_.checked;
    if (v == Verdict::pass) ++r_.passed;
    if (v == Verdict::kink) ++r_.kinks;
    if (v == Verdict::fail) ++r_.failed;
    // Kinks are judged by the subgradient bracket, not by |a - n|: both error columns and the
    // worst element cover the other elements only (a failed bracket still counts as failed).
    const double abs_error = std::abs(analytic - numeric);
    if (v != Verdict::kink) {
      r_.max_abs_error = std::max(r_.max_abs_error, std::isnan(abs_error) ? HUGE_VAL : abs_error);
      r_.max_rel_error = std::max(r_.max_rel_error, std::isnan(abs_error)
                                                        ? HUGE_VAL
                                                        : tol_.relative_error(analytic, numeric));
    }
    const double excess = v == Verdict::kink ? 0.0
                          : std::isnan(abs_error)
                              ? HUGE_VAL
                              : abs_error / (tol_.atol + tol_.rtol * std::abs(numeric));
    if (r_.checked == 1 || excess > worst_excess_) {
      worst_excess_ = excess;
      r_.worst_row = row;
      r_.worst_col = col;
      r_.worst_analytic = analytic;
      r_.worst_numeric = numeric;
    }
  }

  TensorResult take() { return std::move(r_); }

 private:
  TensorResult r_;
  Tolerance tol_;
  double worst_excess_ = -1.0;
};

}  // namespace gradlab::check::detail
