#pragma once
// The Taylor test: a gradient verdict that needs no choice of step.
//
// For the scalar phi(x) = <G, forward(x)> (G random, seeded, as in check_vjp) and a random unit
// direction v spanning every input, the first-order remainder
//
//   r(h) = | phi(x + h v) - phi(x) - h <g, v> |,     g = backward(G)
//
// is (h^2 / 2) |v^T H v| + O(h^3) when g is the true gradient, so it falls as h^2: slope 2 on a
// log-log plot. When g is wrong by delta, r(h) ~ h |<delta, v>|: slope 1. The test evaluates r
// on a geometric range of h, fits the slope of log r against log h on the smallest steps whose
// remainder stands clear of rounding, and passes when the slope is nearer 2 than 1.
//
// A function that is linear along v (affine in one input, ReLU away from its corners, dropout
// with a fixed mask) has no second-order term: its remainder is rounding noise at every small
// step (or above rounding only at the three largest steps, where a corner may be crossed), and
// the test passes with that note ("linear along v"); a wrong gradient there leaves
// h |<delta, v>|, far above the noise, and fails with slope 1. Docs: docs/studies/step-size.md.
#include "gradlab/check/checker.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::check {

struct TaylorOptions {
  double h_max = 1e-1;        // the largest step (v has unit norm over all inputs)
  double h_min = 1e-7;        // the smallest step
  int points_per_decade = 2;  // steps h_max * 10^(-k / points_per_decade)
  int fit_points = 5;         // at most this many steps in the fit: the smallest clear of rounding
  double pass_slope = 1.5;    // PASS when the fitted slope is at least this (nearer 2 than 1)
  std::uint64_t seed = 1;     // draws G and v
};

struct TaylorPoint {
  double h = 0.0;
  double remainder = 0.0;  // |phi(x + h v) - phi(x) - h <g, v>|
  double floor = 0.0;      // the rounding level of that remainder (an estimate, with margin)
  bool fitted = false;     // used in the slope fit
};

struct TaylorResult {
  std::vector<TaylorPoint> points;  // from the largest h to the smallest
  double slope = 0.0;               // fitted slope of log r against log h (NaN when not fitted)
  int fitted = 0;                   // the number of points in the fit
  bool linear = false;              // the remainder is rounding noise at small h: phi is linear along v
  double directional = 0.0;         // <g, v>, the analytic directional derivative
  Verdict verdict = Verdict::fail;  // PASS or FAIL (never KINK)
  std::string note;                 // one line saying why
};

// Runs the test on fn (inputs are moved and restored exactly). Throws std::invalid_argument
// for a function without inputs or options out of range.
TaylorResult taylor_test(const Differentiable& fn, const TaylorOptions& options = {});

// Least-squares slope of log10(y) against log10(x) (x, y > 0; at least two points).
double fit_loglog_slope(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace gradlab::check
