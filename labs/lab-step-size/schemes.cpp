// lab-step-size's difference schemes and its experiment (see schemes.hpp).
#include "schemes.hpp"

#include "gradlab/check/taylor.hpp"

#include <limits>

using namespace gradlab;

namespace lab_step_size {

const char* scheme_key(Scheme s) {
  switch (s) {
    case Scheme::forward: return "forward";
    case Scheme::central: return "central";
    case Scheme::five_point: return "five_point";
    case Scheme::complex_step: return "complex_step";
  }
  return "?";
}
const char* scheme_title(Scheme s) {
  switch (s) {
    case Scheme::forward: return "forward (f(x+h) - f(x)) / h";
    case Scheme::central: return "central (f(x+h) - f(x-h)) / 2h";
    case Scheme::five_point: return "5-point (Richardson)";
    case Scheme::complex_step: return "complex step Im f(x+ih) / h";
  }
  return "?";
}
int theory_order(Scheme s) {
  switch (s) {
    case Scheme::forward: return 1;
    case Scheme::central: return 2;
    case Scheme::five_point: return 4;
    case Scheme::complex_step: return 2;
  }
  return 0;
}

namespace {

// The derivative of p at p.x0 by scheme s with step h, in arithmetic of type T (float or double).
template <class T>
double estimate(const Problem& p, Scheme s, double h_double) {
  const T x = static_cast<T>(p.x0), h = static_cast<T>(h_double);
  auto f = [&p](T v) { return evaluate<T>(p, v); };
  switch (s) {
    case Scheme::forward: return static_cast<double>((f(x + h) - f(x)) / h);
    case Scheme::central: return static_cast<double>((f(x + h) - f(x - h)) / (T(2) * h));
    case Scheme::five_point:
      // Richardson's extrapolation of the central difference at h and 2h:
      // (8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h, truncation error h^4 f^(5) / 30.
      return static_cast<double>((T(8) * (f(x + h) - f(x - h)) - (f(x + T(2) * h) - f(x - T(2) * h))) /
                                 (T(12) * h));
    case Scheme::complex_step:
      // No subtraction, so no cancellation: the step can be as small as we like.
      return static_cast<double>(std::imag(evaluate<std::complex<T>>(p, std::complex<T>(x, h))) / h);
  }
  return 0.0;
}

}  // namespace

double theory_best_step(Scheme s, double eps) {
  if (s == Scheme::complex_step) return NAN;
  return std::pow(eps, 1.0 / (theory_order(s) + 1));
}

Experiment run_experiment(const Problem& p0, bool in_float, const std::vector<double>& steps, int per_decade) {
  Experiment e;
  e.problem = in_float ? rounded_to_float(p0) : p0;
  e.precision = in_float ? "float" : "double";
  e.eps = in_float ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
  e.exact = exact_derivative(e.problem);
  const double f0 = std::abs(evaluate<double>(e.problem, e.problem.x0));
  for (Scheme s : all_schemes) {
    Curve c{s, {}};
    for (double h : steps) {
      const double n = in_float ? estimate<float>(e.problem, s, h) : estimate<double>(e.problem, s, h);
      double err = std::abs(n - e.exact) / std::abs(e.exact);
      if (!std::isfinite(err)) err = 1.0;
      c.error.push_back(std::max(err, 1e-17));  // an exact hit is drawn at the bottom of the plot
    }
    // Best step: on the error smoothed over neighbouring steps (a geometric mean over about half
    // a decade, so that one lucky cancellation does not make a best step), the largest step
    // within a factor 1.5 of the smallest (taken as at least eps: below that, an exact hit is
    // not a better step).
    const int half = std::max(1, per_decade / 4);
    std::vector<double> smooth(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
      double log_sum = 0.0;
      int count = 0;
      for (int k = -half; k <= half; ++k) {
        const long j = static_cast<long>(i) + k;
        if (j < 0 || j >= static_cast<long>(steps.size())) continue;
        log_sum += std::log(c.error[static_cast<std::size_t>(j)]);
        ++count;
      }
      smooth[i] = std::exp(log_sum / count);
    }
    const double smallest = std::max(e.eps, *std::min_element(smooth.begin(), smooth.end()));
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (smooth[i] <= 1.5 * smallest) {
        c.best_h = steps[i];
        c.best_error = c.error[i];
        break;
      }
    // The slope fit: steps up to 1e-2 (5-point: 3e-2; float: 1e-1) where the error stands 30 times above
    // rounding (eps |f| / (h |f'|) for the differences, eps for the complex step) and below 1e-2.
    const double h_hi = in_float ? 1e-1 : s == Scheme::five_point ? 3e-2 : 1e-2;
    std::vector<double> hs, es;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const double h = steps[i];
      const double rounding = s == Scheme::complex_step
                                  ? e.eps
                                  : e.eps * (f0 + std::abs(e.problem.x0 * e.exact)) / (h * std::abs(e.exact));
      if (h <= h_hi * 1.0000001 && c.error[i] > 30.0 * rounding && c.error[i] < 1e-2) {
        hs.push_back(h);
        es.push_back(c.error[i]);
      }
    }
    if (hs.size() >= 3) {
      c.slope = check::fit_loglog_slope(hs, es);
      c.fit_hi = hs.front();
      c.fit_lo = hs.back();
      // The guide line passes through the geometric centre of the fitted points.
      double lh = 0.0, le = 0.0;
      for (std::size_t i = 0; i < hs.size(); ++i) {
        lh += std::log10(hs[i]) / hs.size();
        le += std::log10(es[i]) / hs.size();
      }
      c.fit_anchor_h = std::pow(10.0, lh);
      c.fit_anchor_error = std::pow(10.0, le);
    }
    // Enforced in double, where every scheme has a truncation regime of two decades or so.
    c.enforced = !in_float;
    c.slope_ok = std::isfinite(c.slope) ? std::abs(c.slope - theory_order(s)) <= 0.2 : !c.enforced;
    e.curves.push_back(c);
  }
  return e;
}

}  // namespace lab_step_size
