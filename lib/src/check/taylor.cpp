#include "gradlab/check/taylor.hpp"

#include "gradlab/random.hpp"
#include "gradlab/shape.hpp"

#include <cmath>
#include <limits>

namespace gradlab::check {

double fit_loglog_slope(const std::vector<double>& x, const std::vector<double>& y) {
  require(x.size() == y.size() && x.size() >= 2, "fit_loglog_slope",
          "needs at least two (x, y) pairs of the same length");
  double mx = 0.0, my = 0.0;
  const double n = static_cast<double>(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    require(x[i] > 0.0 && y[i] > 0.0, "fit_loglog_slope", "x and y must be positive");
    mx += std::log10(x[i]) / n;
    my += std::log10(y[i]) / n;
  }
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = std::log10(x[i]) - mx;
    sxy += dx * (std::log10(y[i]) - my);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

TaylorResult taylor_test(const Differentiable& fn, const TaylorOptions& o) {
  require(static_cast<bool>(fn.forward) && static_cast<bool>(fn.backward), "taylor_test",
          "the function under check needs both forward and backward");
  require(!fn.inputs.empty(), "taylor_test", "the function under check has no inputs");
  require(o.h_max > o.h_min && o.h_min > 0.0 && std::isfinite(o.h_max), "taylor_test",
          "needs 0 < h_min < h_max");
  require(o.points_per_decade >= 1 && o.fit_points >= 3, "taylor_test",
          "needs points_per_decade >= 1 and fit_points >= 3");

  constexpr double eps = std::numeric_limits<double>::epsilon();
  Rng rng(o.seed);
  const arma::mat Y0 = fn.forward();
  const arma::mat G = random_normal(Y0.n_rows, Y0.n_cols, rng);
  const std::vector<arma::mat> grads = fn.backward(G);

  TaylorResult r;
  r.slope = arma::datum::nan;
  // v: a random unit vector over every input together; <g, v> the analytic prediction.
  std::vector<arma::mat> v;
  double norm2 = 0.0, input_scale = 0.0;
  bool usable = grads.size() == fn.inputs.size();
  for (std::size_t t = 0; t < fn.inputs.size(); ++t) {
    const arma::mat& x = *fn.inputs[t].second;
    v.push_back(random_normal(x.n_rows, x.n_cols, rng));
    norm2 += arma::accu(arma::square(v.back()));
    usable = usable && grads[t].n_rows == x.n_rows && grads[t].n_cols == x.n_cols;
  }
  if (!usable) {
    r.note = "backward returned gradients that do not match the inputs";
    return r;
  }
  for (std::size_t t = 0; t < v.size(); ++t) {
    v[t] /= std::sqrt(norm2);
    r.directional += arma::accu(grads[t] % v[t]);
    // Rounding each input to a double moves phi by about eps |g| |x|.
    input_scale += arma::accu(arma::abs(grads[t]) % arma::abs(*fn.inputs[t].second));
  }
  if (!std::isfinite(r.directional)) {
    r.note = "backward returned non-finite gradients";
    return r;
  }

  auto moved = [&](double h) {
    std::vector<arma::mat> saved;
    for (std::size_t t = 0; t < v.size(); ++t) {
      saved.push_back(*fn.inputs[t].second);
      *fn.inputs[t].second += h * v[t];
    }
    arma::mat Y = fn.forward();
    for (std::size_t t = 0; t < v.size(); ++t) *fn.inputs[t].second = saved[t];  // exact restore
    return Y;
  };

  const double output_scale0 = arma::accu(arma::abs(G % Y0));
  const int count =
      static_cast<int>(std::floor(o.points_per_decade * std::log10(o.h_max / o.h_min) + 1e-9)) + 1;
  for (int k = 0; k < count; ++k) {
    TaylorPoint p;
    p.h = o.h_max * std::pow(10.0, -static_cast<double>(k) / o.points_per_decade);
    const arma::mat Yh = moved(p.h);
    // <G, Yh - Y0>: outputs differenced before the sum, as in check_vjp.
    const double change = arma::accu(G % (Yh - Y0));
    p.remainder = std::abs(change - p.h * r.directional);
    // The rounding level of that remainder, with a margin of 32: the outputs' own rounding, the
    // inputs' representation, and the product h <g, v>.
    p.floor = 32.0 * eps *
              (output_scale0 + arma::accu(arma::abs(G % Yh)) + input_scale + p.h * std::abs(r.directional));
    if (!std::isfinite(p.remainder)) p.remainder = HUGE_VAL;
    r.points.push_back(p);
  }

  // The fit: from the smallest h up, the first run of at least 3 consecutive points whose
  // remainder stands clear of rounding, at most fit_points of them (the asymptotic regime).
  const int n = static_cast<int>(r.points.size());
  int start = -1, length = 0;
  for (int i = n - 1; i >= 0; --i) {
    const TaylorPoint& p = r.points[static_cast<std::size_t>(i)];
    const bool clear = p.remainder > p.floor && std::isfinite(p.remainder);
    if (!clear) {
      if (length >= 3) break;
      length = 0;
      continue;
    }
    if (length == 0) start = i;
    ++length;
    if (length >= o.fit_points) break;
  }
  // No run, or one that only starts among the three largest steps: below them the remainder is
  // rounding, so phi is linear along v at small steps (a piecewise-linear function whose corner
  // the large steps cross, as ReLU's). A wrong gradient keeps h |<delta, v>| far above rounding
  // down to small steps.
  if (length < 3 || r.points[static_cast<std::size_t>(start)].h > o.h_max / 30.0) {
    r.linear = true;
    r.verdict = Verdict::pass;
    r.note = "the remainder is at rounding level at small steps: phi is linear along v";
    return r;
  }
  std::vector<double> hs, rs;
  for (int i = start; i > start - length; --i) {
    r.points[static_cast<std::size_t>(i)].fitted = true;
    hs.push_back(r.points[static_cast<std::size_t>(i)].h);
    rs.push_back(r.points[static_cast<std::size_t>(i)].remainder);
  }
  r.fitted = length;
  r.slope = fit_loglog_slope(hs, rs);
  r.verdict = r.slope >= o.pass_slope ? Verdict::pass : Verdict::fail;
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "fitted slope %.2f over h in [%.1e, %.1e] (%d points): %s",
                r.slope, hs.front(), hs.back(), length,
                r.verdict == Verdict::pass ? "second order, the gradient is right"
                                           : "first order, the gradient is wrong");
  r.note = buffer;
  return r;
}

}  // namespace gradlab::check
