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

// A numeric estimate at one step: the scheme's value and the one-sided slopes.
struct Estimate {
  double numeric = 0.0, left = 0.0, right = 0.0;
};

// An element's verdict and, for INCONCLUSIVE, how its estimate moved with the step.
struct Judgement {
  Verdict verdict = Verdict::pass;
  double wide = 0.0;    // n(2h) - n(h)
  double narrow = 0.0;  // n(h/2) - n(h)
  bool corner = false;  // a corner lies between h and 2h away
};

// The estimates at other steps move as far as the numeric value's own error. A FAIL whose
// disagreement lies within twice the largest move (plus the tolerance) is INCONCLUSIVE: the
// numbers cannot tell a wrong gradient from their own error. The estimates at 2h and h/2 come
// first; when the estimate moves more as the step shrinks (noise), h/4 as well, since a noisy
// estimate can land near another by chance. `at(factor)` is the scheme's estimate at factor * h;
// it is called only for an element that fails the tolerance and is not a kink, so a passing
// check costs nothing more.
template <class At>
Judgement judge(double analytic, double numeric, double left, double right, const Tolerance& tol,
                At&& at) {
  const Verdict v = classify(analytic, numeric, left, right, tol);
  if (v != Verdict::fail || !std::isfinite(analytic) || !std::isfinite(numeric)) return {v};
  const Estimate wide = at(2.0), narrow = at(0.5);
  // A corner between h and 2h away: the slopes disagree at 2h but not at h (noise makes them
  // disagree at both).
  Judgement j{Verdict::fail, wide.numeric - numeric, narrow.numeric - numeric,
              clear_corner(wide.left, wide.right, tol) && !clear_corner(left, right, tol)};
  double spread = std::max(std::abs(j.wide), std::abs(j.narrow));
  const double disagreement = std::abs(analytic - numeric);
  const double floor = tol.atol + tol.rtol * std::abs(numeric);
  if (disagreement > 2.0 * spread + floor && std::abs(j.narrow) > std::abs(j.wide))
    spread = std::max(spread, std::abs(at(0.25).numeric - numeric));
  if (disagreement <= 2.0 * spread + floor) j.verdict = Verdict::inconclusive;
  return j;
}

// Why a tensor's inconclusive elements are, by a majority of them. Truncation error is smooth
// in the step, c h^p with p = 2 (central) or 1 (forward), so n(h/2) - n(h) is -(1 - 2^-p)/(2^p - 1)
// times n(2h) - n(h): -1/4 or -1/2. Elements whose moves keep that ratio (within [-0.6, -0.15])
// have "a step too large for the curvature"; otherwise a corner of the slopes at 2h means "a
// kink within the step", and moves without that order are "rounding noise".
class InconclusiveReason {
 public:
  void add(const Judgement& j) {
    const double ratio = j.wide != 0.0 ? j.narrow / j.wide : 0.0;
    if (ratio >= -0.6 && ratio <= -0.15) ++smooth_;
    else if (j.corner) ++corners_;
    else ++noise_;
  }
  std::string reason() const {
    if (smooth_ + corners_ + noise_ == 0) return "";
    if (smooth_ >= corners_ && smooth_ >= noise_) return "a step too large for the curvature";
    return corners_ > noise_ ? "a kink within the step" : "rounding noise";
  }

 private:
  arma::uword smooth_ = 0, corners_ = 0, noise_ = 0;
};

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

  // One element: its analytic value, the scheme's estimate and the one-sided slopes, and
  // `at(factor)`, the estimate at another step (see judge).
  template <class At>
  void add(arma::uword row, arma::uword col, double analytic, double numeric, double left,
           double right, At&& at) {
    const Judgement j = judge(analytic, numeric, left, right, tol_, at);
    record(row, col, analytic, numeric, left, right, j);
  }

  // An element without a numeric value to re-estimate (a gradient that is missing): FAIL.
  void add_missing(arma::uword row, arma::uword col) {
    record(row, col, arma::datum::nan, 0.0, 0.0, 0.0, {Verdict::fail});
  }

  // The tensor fails so far (take() will diagnose it).
  bool failing() const { return r_.verdict() == Verdict::fail; }

  // The result, diagnosed when it fails. `context` adds what the check knows beyond this
  // tensor: the batch size, related tensors, transposed inputs, a broken contract.
  TensorResult take(Evidence context = {}) {
    r_.inconclusive_reason = reasons_.reason();
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
  void record(arma::uword row, arma::uword col, double analytic, double numeric, double left,
              double right, const Judgement& j) {
    const Verdict v = j.verdict;
    ++r_.checked;
    if (v == Verdict::pass) ++r_.passed;
    if (v == Verdict::kink) ++r_.kinks;
    if (v == Verdict::inconclusive) ++r_.inconclusive, reasons_.add(j);
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

  TensorResult r_;
  InconclusiveReason reasons_;
  Evidence e_;
  Tolerance tol_;
  double worst_excess_ = -1.0;
};

}  // namespace gradlab::check::detail
