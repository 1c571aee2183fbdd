#pragma once
// The finite-difference gradient checker. Its contract is docs/checker.md; every rule below is
// tested in checks/check_checker.cpp, including that it FAILs deliberately wrong backward passes.
//
// The checker perturbs one element (or one random direction) of a tensor at a time, re-runs the
// forward pass, and compares the change of the output with the gradient backward produced.
#include <armadillo>

#include <cstdint>
#include <limits>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::check {

enum class Scheme { central, forward };
enum class Verdict { pass, kink, inconclusive, fail };

const char* to_string(Scheme scheme);
const char* to_string(Verdict verdict);

// Steps, relative to the perturbed value: h = step * max(1, |x|). Near the optimum of each
// scheme's error (truncation + rounding): eps^(1/3) for central, eps^(1/2) for forward.
inline constexpr double default_central_step = 1e-5;
inline constexpr double default_forward_step = 1e-8;

// The tolerance units, defined here and nowhere else. The defaults suit central differences,
// whose error at the default step is about 1e-10 relative; forward differences are only good to
// about 1e-7 (truncation h |f''| / 2 plus rounding eps |f| / h), so they get looser defaults.
struct Tolerance {
  double atol = 1e-9;  // absolute: the rounding noise of a difference quotient at the default step
  double rtol = 1e-6;  // relative to the numeric value
  // An element passes when |a - n| <= atol + rtol |n|.
  bool accepts(double analytic, double numeric) const;
  // The relative error students read: |a - n| / max(|a|, |n|, floor), floor = atol / rtol,
  // so values smaller than the floor are judged by their absolute error.
  double relative_error(double analytic, double numeric) const;
};

inline constexpr Tolerance default_central_tolerance{1e-9, 1e-6};
inline constexpr Tolerance default_forward_tolerance{1e-7, 1e-4};

struct Options {
  Scheme scheme = Scheme::central;
  double step = 0.0;  // 0: the scheme's default step
  std::optional<Tolerance> tolerance;  // empty: the scheme's default tolerance
  std::uint64_t seed = 1;  // draws the upstream gradient G and the random directions
  double effective_step() const;
  Tolerance effective_tolerance() const;
};

// Verdict for one element from the analytic value a, the scheme's estimate n, and the one-sided
// slopes left = (f(x) - f(x-h)) / h and right = (f(x+h) - f(x)) / h:
//  PASS when a and n agree within tolerance;
//  KINK when they do not, but left and right disagree (a corner lies within the step) and a
//       lies between them (a valid subgradient);
//  FAIL otherwise.
// Resolution: an error smaller than about h |f''| / 2 cannot be told from a corner at step h.
// The checks then hold a FAIL against the numeric value's own error (detail::judge in
// check/building_blocks.hpp): when the disagreement lies within the spread of the estimates at
// other steps (2h, h/2), the element is INCONCLUSIVE, not FAIL, with the reason.
Verdict classify(double analytic, double numeric, double left, double right, const Tolerance& tol);

// Numerical gradient of a scalar function f of x by the chosen scheme. x is perturbed in place,
// one element at a time, and restored exactly; f must read x.
arma::mat numerical_gradient(const std::function<double()>& f, arma::mat& x,
                             const Options& options = {});

// A function under check: Y = forward(inputs), and backward(G) = the gradients of <G, Y>
// with respect to each input, in the order of `inputs`. The checker perturbs the inputs in
// place through the pointers; `owner` keeps what they point to alive.
struct Differentiable {
  std::vector<std::pair<std::string, arma::mat*>> inputs;
  std::function<arma::mat()> forward;
  std::function<std::vector<arma::mat>(const arma::mat& G)> backward;
  std::shared_ptr<void> owner;
  // Samples in the batch, for a diagnosis to name a scale of B or 1/B. 0: the number of columns
  // of forward()'s output when it has more than one.
  arma::uword batch = 0;
  // What a diagnosis calls the upstream gradient ("dY > 0" for a mask read from it).
  std::string upstream = "G";
};

// The kind of mistake a failing tensor shows, found by diagnose() (check/diagnosis.hpp); each is
// explained in docs/checker.md. `none`: the tensor did not fail.
enum class Pattern {
  none,
  contract,      // backward breaks its contract: accumulates, keeps state, not linear, NaN, shape
  kinks_only,    // every failing entry has a kink within the step
  sign,          // A = -N
  scale,         // A = c N (c = B or 1/B: the batch mean applied never or twice)
  transpose,     // A = N^T, N's entries in the other order, or the gradient with W^T for W
  mask,          // A is zero where N is not (or the reverse), following another tensor's sign
  reduction,     // A sums the wrong axis: sum(N) broadcast, or one sample's term only
  missing_term,  // A - N lies along a known direction: constant across the batch, or a tensor
  unknown,       // no known pattern
};
const char* to_string(Pattern pattern);

struct Diagnosis {
  Pattern pattern = Pattern::none;
  std::string summary;  // one line: the pattern, its constant and the evidence
  double constant = std::numeric_limits<double>::quiet_NaN();  // the fitted c (sign, scale)
  double spread = std::numeric_limits<double>::quiet_NaN();    // spread of A_i / N_i around c
  double explained = std::numeric_limits<double>::quiet_NaN();  // share of entries explained
};

// The per-tensor report of the checker's contract.
struct TensorResult {
  std::string name;
  arma::uword rows = 0, cols = 0;
  arma::uword checked = 0, passed = 0, kinks = 0, inconclusive = 0, failed = 0;
  // Why the inconclusive elements are: "rounding noise", "a step too large for the curvature"
  // or "a kink within the step" (detail::InconclusiveReason). Empty when there are none.
  std::string inconclusive_reason;
  double max_abs_error = 0.0;  // over the elements that are not kinks
  double max_rel_error = 0.0;  // likewise (kinks are held to the bracket instead)
  // The element furthest from the criterion (largest |a - n| / (atol + rtol |n|)).
  arma::uword worst_row = 0, worst_col = 0;
  double worst_analytic = 0.0, worst_numeric = 0.0;
  Diagnosis diagnosis;  // set when the tensor fails
  Verdict verdict() const;
};

// Backward as a contract: same gradients when run twice, linear in the upstream gradient,
// every entry assigned (the right shape, finite).
struct ContractResult {
  bool assigned = true;
  bool repeatable = true;
  bool linear = true;
  std::string problem;  // empty when all hold
  bool holds() const { return assigned && repeatable && linear; }
};

struct CheckResult {
  std::string label;  // what was checked, e.g. "affine"
  std::string shape;  // e.g. "W 4x7, b 4, X 7x3"
  std::string method; // "vjp", "jacobian" or "directional"
  Scheme scheme = Scheme::central;
  double step = 0.0;
  std::vector<TensorResult> tensors;
  ContractResult contract;
  // Directional checks: a gradient error of at least this relative size (|e| / |g|) is caught
  // with probability at least 1 - 1e-6 (directional_certified_error); NaN for other methods.
  double certified_error = std::numeric_limits<double>::quiet_NaN();
  // FAIL if any tensor fails or the contract breaks, else INCONCLUSIVE, KINK or PASS (the
  // first that any tensor has).
  Verdict verdict() const;
};

// The layer check: a random upstream gradient G (seeded), the scalar <G, forward()> over the
// whole batch, every input checked element by element, and backward's contract.
CheckResult check_vjp(const Differentiable& fn, const Options& options = {});

// The full Jacobian d vec(Y) / d vec(input) for small ops: analytic rows from backward(e_k),
// numeric columns from perturbing each input element.
CheckResult check_jacobian(const Differentiable& fn, const Options& options = {});

// The fast mode: directional derivatives along `directions` random unit vectors spanning all
// inputs at once, compared with <gradient, v>. Cost: 2 forward passes per direction.
CheckResult check_directional(const Differentiable& fn, int directions = 8,
                              const Options& options = {});

// What k random directions certify. A direction v (Gaussian, so every direction of the error
// is equally likely to be seen) misses an error e in the gradient g when |<e, v>| <= rtol |<g, v>|
// (atol negligible). For e orthogonal to g, the hardest case (a part of e along g is a scale
// error, caught unless it is below rtol), <e, v> and <g, v> are independent normals whose ratio
// is Cauchy with scale r = |e| / |g|: one direction misses with probability (2/pi) atan(rtol / r),
// k independent directions with that to the power k.
double directional_miss_probability(double relative_error, int directions, const Tolerance& tol);
// The smallest relative error that `directions` directions catch with probability >= 1 - miss.
double directional_certified_error(int directions, double miss, const Tolerance& tol);

// Contract check alone (used by check_vjp); G is the upstream gradient. `earlier`, when given,
// holds what an earlier backward(G) returned (the check's analytic gradients): the calls made
// here must repeat it, so a backward whose first call is right but that keeps state for the
// next (a velocity in the gradient buffer) is caught even when later calls agree.
ContractResult check_contract(const Differentiable& fn, const arma::mat& G,
                              std::uint64_t seed, const std::vector<arma::mat>* earlier = nullptr);

}  // namespace gradlab::check
