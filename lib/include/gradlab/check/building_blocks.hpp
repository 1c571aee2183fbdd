#pragma once
// What every check is built from (check_vjp, check_jacobian, check_directional, and the network
// checks of nn/network_check.hpp), so that their steps and results mean the same thing: the step
// taken at a value, the result a check starts from, and the per-tensor bookkeeping.
#include "gradlab/check/checker.hpp"
#include "gradlab/check/diagnosis.hpp"
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

// A corner clearly within the step: the one-sided slopes differ by more than a thousandth of
// their size. classify() judges a failing element against the bracket as soon as the slopes
// disagree beyond the tolerance, which curvature alone does (by h |f''|); a diagnosis sets
// aside only the entries where they disagree as at a corner (ReLU's at 0: by all of |g|).
inline bool clear_corner(double left, double right, const Tolerance& tol) {
  const double size = std::max({std::abs(left), std::abs(right), tol.atol / tol.rtol});
  return std::abs(right - left) > 1e-3 * size;
}

// What every check knows beyond the tensor for its diagnosis: a broken contract (it explains
// every failing tensor) and the samples in the batch (0: unknown).
inline Evidence context_of(const ContractResult& contract, arma::uword batch = 0) {
  Evidence e;
  e.contract = contract;
  e.batch = batch;
  return e;
}

// Collects the per-element comparisons of one tensor, and the analytic and numeric values that
// a diagnosis reads when it fails.
class TensorAccumulator {
 public:
  TensorAccumulator(std::string name, arma::uword rows, arma::uword cols, const Tolerance& tol)
      : tol_(tol) {
    r_.name = std::move(name);
    r_.rows = rows;
    r_.cols = cols;
    e_.tensor = r_.name;
    e_.analytic.set_size(rows, cols);
    e_.numeric.set_size(rows, cols);
    e_.corner.zeros(rows, cols);
    e_.failed.zeros(rows, cols);
    e_.tolerance = tol;
  }

  // One element: its analytic value, the scheme's estimate and the one-sided slopes.
  void add(arma::uword row, arma::uword col, double analytic, double numeric, double left,
           double right) {
    const Verdict v = classify(analytic, numeric, left, right, tol_);
    ++r_.checked;
    if (v == Verdict::pass) ++r_.passed;
    if (v == Verdict::kink) ++r_.kinks;
    if (v == Verdict::fail) ++r_.failed;
    e_.analytic(row, col) = analytic;
    e_.numeric(row, col) = numeric;
    e_.corner(row, col) = clear_corner(left, right, tol_) ? 1 : 0;
    e_.failed(row, col) = v == Verdict::fail ? 1 : 0;
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

  // The tensor fails so far (take() will diagnose it).
  bool failing() const { return r_.verdict() == Verdict::fail; }

  // The result, diagnosed when it fails. `context` adds what the check knows beyond this
  // tensor: the batch size, related tensors, transposed inputs, a broken contract.
  TensorResult take(Evidence context = {}) {
    if (failing()) {
      context.tensor = e_.tensor;
      context.analytic = std::move(e_.analytic);
      context.numeric = std::move(e_.numeric);
      context.corner = std::move(e_.corner);
      context.failed = std::move(e_.failed);
      context.tolerance = e_.tolerance;
      r_.diagnosis = diagnose(context);
    }
    return std::move(r_);
  }

 private:
  TensorResult r_;
  Evidence e_;
  Tolerance tol_;
  double worst_excess_ = -1.0;
};

}  // namespace gradlab::check::detail
