// lab-step-size: the error of a numerical derivative against its step h, from 1e-1 down to
// 1e-14, for four schemes (forward, central, 5-point, complex step), four functions (tanh,
// sigmoid, softmax cross-entropy, batch norm), in double and in float. Then the Taylor test,
// which needs no step at all. Study: docs/studies/step-size.md.
//
// Each function is a scalar function f of one number x (every other input held fixed), written
// once as a template over the number type, so that the very same formula runs in float, double,
// std::complex<float> and std::complex<double>. The exact derivative comes from the closed form
// (long double, or gradlab::ops for batch norm) at the same inputs, rounded to the precision
// under test first, so that only the difference quotient is measured.
//
// Writes out/lab-step-size/: error-<function>-<precision>.csv and figure (PNG + SVG + .gp),
// taylor.csv and its figure, table-best-steps.csv, table-taylor.csv, summary.json.
// Exit status 1 when a fitted slope leaves its band: 1, 2, 4, 2 (forward, central, 5-point,
// complex step, in double) within 0.2; Taylor slopes 2 (right gradient) and 1 (wrong) within 0.2.
#include "gradlab/programs/lab.hpp"

#include "gradlab/check/taylor.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/random.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <cmath>
#include <complex>
#include <iostream>
#include <limits>

using namespace gradlab;

namespace {

// ---------------------------------------------------------------------------------------------
// The four functions, as templates over the number type S (float, double, complex<float>,
// complex<double>). Problem holds the fixed inputs; x is the one input that moves.

enum class Kind { tanh, sigmoid, softmax_ce, batchnorm };

struct Problem {
  Kind kind;
  std::string key, title;
  double x0;                  // the point where the derivative is taken
  std::vector<double> other;  // softmax: the logits (entry `index` replaced by x); batch norm: the row
  std::vector<double> G;      // batch norm: the upstream gradient of the row
  std::size_t index = 0;      // which logit / which sample moves
  std::size_t label = 0;      // softmax: the true class
  double gamma = 1.0, beta = 0.0, bn_eps = 1e-5;
};

template <class S>
S sigmoid(S x) {
  return S(1) / (S(1) + std::exp(-x));
}

// f(x): the problem's function of its moving input, in arithmetic of type S.
template <class S>
S evaluate(const Problem& p, S x) {
  switch (p.kind) {
    case Kind::tanh: return std::tanh(x);
    case Kind::sigmoid: return sigmoid(x);
    case Kind::softmax_ce: {
      // L = log sum_j exp(z_j - m) + m - z_label, with the shift m a constant (the largest
      // fixed logit), so the same formula is analytic in x for the complex step.
      double m = -HUGE_VAL;
      for (double z : p.other) m = std::max(m, z);
      S sum(0);
      for (std::size_t j = 0; j < p.other.size(); ++j)
        sum += std::exp((j == p.index ? x : S(p.other[j])) - S(m));
      const S z_label = p.label == p.index ? x : S(p.other[p.label]);
      return std::log(sum) + S(m) - z_label;
    }
    case Kind::batchnorm: {
      // phi = sum_b G_b y_b, y = gamma (x - mean) / sqrt(var + eps) + beta over one row.
      const std::size_t B = p.other.size();
      std::vector<S> row(B);
      S mean(0);
      for (std::size_t b = 0; b < B; ++b) {
        row[b] = b == p.index ? x : S(p.other[b]);
        mean += row[b];
      }
      mean /= S(static_cast<double>(B));
      S var(0);
      for (std::size_t b = 0; b < B; ++b) var += (row[b] - mean) * (row[b] - mean);  // no conj: analytic
      var /= S(static_cast<double>(B));
      const S inv_std = S(1) / std::sqrt(var + S(p.bn_eps));
      S phi(0);
      for (std::size_t b = 0; b < B; ++b)
        phi += S(p.G[b]) * (S(p.gamma) * (row[b] - mean) * inv_std + S(p.beta));
      return phi;
    }
  }
  return S(0);
}

// The exact derivative at p.x0 (for the inputs exactly as stored in p).
double exact_derivative(const Problem& p) {
  const long double x = p.x0;
  switch (p.kind) {
    case Kind::tanh: {
      const long double t = std::tanh(x);
      return static_cast<double>((1.0L - t) * (1.0L + t));
    }
    case Kind::sigmoid: {
      const long double s = 1.0L / (1.0L + std::exp(-x));
      return static_cast<double>(s * (1.0L - s));
    }
    case Kind::softmax_ce: {
      // dL/dz_index = softmax_index - 1[index = label]
      long double m = -HUGE_VALL, sum = 0.0L;
      std::vector<long double> z(p.other.begin(), p.other.end());
      z[p.index] = x;
      for (long double v : z) m = std::max(m, v);
      for (long double v : z) sum += std::exp(v - m);
      return static_cast<double>(std::exp(z[p.index] - m) / sum - (p.index == p.label ? 1.0L : 0.0L));
    }
    case Kind::batchnorm: {
      // The library's closed batch form, d phi / dX = batchnorm_backward(G).dX.
      arma::mat X(1, p.other.size());
      for (std::size_t b = 0; b < p.other.size(); ++b) X(0, b) = b == p.index ? p.x0 : p.other[b];
      arma::mat G(1, p.G.size());
      for (std::size_t b = 0; b < p.G.size(); ++b) G(0, b) = p.G[b];
      const arma::vec gamma{p.gamma}, beta{p.beta};
      const ops::BatchNormForward f = ops::batchnorm_forward(X, gamma, beta, p.bn_eps);
      return ops::batchnorm_backward(G, gamma, f.cache).dX(0, p.index);
    }
  }
  return 0.0;
}

std::vector<Problem> problems() {
  std::vector<Problem> list;
  list.push_back({Kind::tanh, "tanh", "tanh(x) at x = 0.4", 0.4, {}, {}});
  list.push_back({Kind::sigmoid, "sigmoid", "sigmoid(x) at x = -1.1", -1.1, {}, {}});
  Problem ce{Kind::softmax_ce, "softmax-ce", "softmax cross-entropy, dL/dz_1 (5 logits, label 3)", 0.3,
             {0.5, 0.3, -1.2, 1.1, 0.2}, {}};
  ce.index = 1;
  ce.label = 3;
  list.push_back(ce);
  Problem bn{Kind::batchnorm, "batchnorm", "batch norm, d<G, Y>/dx_2 (one row of 5 samples)", 0.9,
             {0.3, -1.4, 0.9, 2.1, -0.5}, {0.7, -1.2, 0.4, 1.5, -0.3}};
  bn.index = 2;
  bn.gamma = 1.3;
  bn.beta = 0.2;
  list.push_back(bn);
  return list;
}

// Every number of the problem rounded to float: the inputs a float experiment really has.
Problem rounded_to_float(Problem p) {
  auto r = [](double v) { return static_cast<double>(static_cast<float>(v)); };
  p.x0 = r(p.x0);
  for (double& v : p.other) v = r(v);
  for (double& v : p.G) v = r(v);
  p.gamma = r(p.gamma);
  p.beta = r(p.beta);
  p.bn_eps = r(p.bn_eps);
  if (p.kind == Kind::batchnorm) p.other[p.index] = p.x0;
  return p;
}

// ---------------------------------------------------------------------------------------------
// The four schemes, in arithmetic of type T (float or double).

enum class Scheme { forward, central, five_point, complex_step };
const Scheme all_schemes[] = {Scheme::forward, Scheme::central, Scheme::five_point, Scheme::complex_step};

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

struct Curve {
  Scheme scheme;
  std::vector<double> error;  // relative error per step
  double best_h = 0.0, best_error = 0.0;
  double slope = NAN;         // fitted in the truncation regime
  double fit_lo = NAN, fit_hi = NAN, fit_anchor_h = NAN, fit_anchor_error = NAN;
  bool slope_ok = true;
  bool enforced = false;
};

struct Experiment {
  Problem problem;
  std::string precision;  // "double" or "float"
  double eps = 0.0;
  double exact = 0.0;
  std::vector<Curve> curves;
};

// The theoretical best step of each scheme: where truncation C h^p meets rounding eps / h,
// h ~ eps^(1 / (p + 1)); the complex step has no rounding term.
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

std::string precision_eps_text(const Experiment& e) {
  return e.precision == "float" ? "1.2e-7" : "2.2e-16";
}

void write_experiment(const Experiment& e, const std::vector<double>& steps,
                      const std::filesystem::path& out) {
  const std::string stem = "error-" + e.problem.key + "-" + e.precision;
  std::vector<std::string> columns{"h"};
  for (const Curve& c : e.curves) columns.push_back(scheme_key(c.scheme));
  for (const Curve& c : e.curves) columns.push_back(std::string("guide_") + scheme_key(c.scheme));
  columns.push_back("rounding_floor");
  output::Csv csv(columns);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double h = steps[i];
    std::vector<double> row{h};
    for (const Curve& c : e.curves) row.push_back(c.error[i]);
    for (const Curve& c : e.curves) {
      // The theoretical slope through the fitted points, drawn a decade beyond them each way.
      const bool near = std::isfinite(c.slope) && h >= c.fit_lo / 10.0 && h <= c.fit_hi * 10.0;
      // Shifted up by a factor 10, so that it runs beside the curve instead of under it.
      row.push_back(near ? 10.0 * c.fit_anchor_error * std::pow(h / c.fit_anchor_h, theory_order(c.scheme)) : NAN);
    }
    row.push_back(e.eps / h);
    csv.add_row(row);
  }
  csv.write(out / (stem + ".csv"));
  output::Csv best({"h", "error", "scheme"});
  for (const Curve& c : e.curves)
    best.add_row({text::number(c.best_h), text::number(c.best_error), scheme_key(c.scheme)});
  best.write(out / (stem + "-best.csv"));

  output::Figure f;
  f.name = stem;
  f.title = "Derivative error vs step: " + e.problem.title + ", " + e.precision;
  f.xlabel = "step h";
  f.ylabel = "relative error |numeric - exact| / |exact|";
  f.logx = f.logy = true;
  f.width = 960;
  f.height = 700;
  f.commands = {"set key below maxrows 5 width -4", "set xrange [1e-14:1e-1]",
                e.precision == "float" ? "set yrange [1e-10:10]" : "set yrange [1e-17:10]"};
  const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  const char* guide_names[] = {"slope 1 (h)", "slope 2 (h^2)", "slope 4 (h^4)", "slope 2 (h^2) complex step"};
  // The central difference and the complex step share their slope 2 and, at large steps, their
  // error: the central curve is drawn wide with hollow points, the complex step thin and dashed
  // on top of it, so both show where they coincide.
  auto style = [](Scheme s) -> std::string {
    switch (s) {
      case Scheme::central: return "lw 5 pt 6 ps 1.5";
      case Scheme::complex_step: return "lw 1.5 dt 2 pt 7 ps 0.5";
      case Scheme::five_point: return "lw 2 pt 5 ps 0.6";
      default: return "lw 2 pt 7 ps 0.5";
    }
  };
  for (std::size_t k = 0; k < e.curves.size(); ++k) {
    const Curve& c = e.curves[k];
    std::string title = scheme_title(c.scheme);
    if (std::isfinite(c.slope)) title += ", fitted slope " + text::fixed(c.slope, 2);
    f.series.push_back({stem + ".csv", "h", scheme_key(c.scheme), title, "linespoints",
                        style(c.scheme) + " lc rgb '" + colours[k] + "'", ""});
  }
  for (std::size_t k = 0; k < e.curves.size(); ++k)
    if (std::isfinite(e.curves[k].slope))
      f.series.push_back({stem + ".csv", "h", std::string("guide_") + scheme_key(e.curves[k].scheme),
                          std::string("theory: ") + guide_names[k] + ", shifted x10", "lines",
                          std::string("dt 2 lw 1.5 lc rgb '") + colours[k] + "'", ""});
  f.series.push_back({stem + ".csv", "h", "rounding_floor", "rounding floor eps / h (eps " +
                      precision_eps_text(e) + ")", "lines", "dt 3 lw 2 lc rgb 'black'", ""});
  f.series.push_back({stem + "-best.csv", "h", "error", "best step of each scheme (error smoothed over half a decade)", "points",
                      "pt 6 ps 2.5 lw 2 lc rgb 'black'", ""});
  lab::render_or_warn(f, out);
}

// ---------------------------------------------------------------------------------------------
// The Taylor test on a tanh layer and a batch norm layer, each with its right backward and a
// wrong one (tanh' = 1 - Y; batch norm's dX without the mean and variance terms).

struct LayerData {
  arma::mat X, gamma, beta;
};

check::Differentiable tanh_layer(bool right, std::uint64_t seed) {
  auto d = std::make_shared<LayerData>();
  Rng rng(seed);
  d->X = random_normal(4, 5, rng);
  return {{{"X", &d->X}},
          [d] { return ops::tanh_forward(d->X); },
          [d, right](const arma::mat& G) {
            const arma::mat Y = ops::tanh_forward(d->X);
            return std::vector<arma::mat>{right ? ops::tanh_backward(G, Y) : arma::mat(G % (1.0 - Y))};
          },
          d};
}

check::Differentiable batchnorm_layer(bool right, std::uint64_t seed) {
  auto d = std::make_shared<LayerData>();
  Rng rng(seed);
  d->X = random_normal(3, 6, rng);
  d->gamma = 1.0 + 0.3 * random_normal(3, 1, rng);
  d->beta = random_normal(3, 1, rng);
  return {{{"X", &d->X}, {"gamma", &d->gamma}, {"beta", &d->beta}},
          [d] { return ops::batchnorm_forward(d->X, d->gamma, d->beta).Y; },
          [d, right](const arma::mat& G) {
            const ops::BatchNormForward f = ops::batchnorm_forward(d->X, d->gamma, d->beta);
            ops::BatchNormGrads g = ops::batchnorm_backward(G, d->gamma, f.cache);
            if (!right) {
              g.dX = G;
              g.dX.each_col() %= d->gamma % f.cache.inv_std;
            }
            return std::vector<arma::mat>{g.dX, g.dgamma, g.dbeta};
          },
          d};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The error of a numerical derivative against its step, four schemes, float and double; "
               "and the Taylor test.", "lab-step-size"};
  lab::LabOptions options;
  options.name = "lab-step-size";
  lab::add_options(app, options);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    std::cout << "lab-step-size: " << (options.full ? "full" : "quick") << " mode, results in "
              << options.out.string() << '\n';
    // Steps from 1e-1 down to 1e-14: 4 per decade (quick) or 10 per decade (full).
    const int per_decade = options.full ? 10 : 4;
    std::vector<double> steps;
    for (int k = 0; k <= 13 * per_decade; ++k) steps.push_back(std::pow(10.0, -1.0 - double(k) / per_decade));

    bool all_ok = true;
    output::Csv best_csv({"function", "precision", "scheme", "best step", "error at best step",
                          "theory best step", "fitted slope", "theory slope", "slope check"});
    text::Table best_table({"function", "precision", "scheme", "best step", "error there",
                              "theory best", "fitted slope", "theory", "check"});
    nlohmann::json experiments = nlohmann::json::array();
    for (const Problem& p : problems()) {
      for (bool in_float : {false, true}) {
        const Experiment e = run_experiment(p, in_float, steps, per_decade);
        write_experiment(e, steps, options.out);
        for (const Curve& c : e.curves) {
          const std::string check = !std::isfinite(c.slope) ? (c.enforced ? "FAIL (no fit)" : "no truncation regime")
                                    : c.enforced            ? (c.slope_ok ? "ok" : "FAIL")
                                                            : (c.slope_ok ? "ok (not enforced)" : "off (not enforced)");
          all_ok &= c.slope_ok;
          const std::vector<std::string> row{
              p.key, e.precision, scheme_key(c.scheme), text::sci(c.best_h, 2), text::sci(c.best_error, 2),
              std::isfinite(theory_best_step(c.scheme, e.eps)) ? text::sci(theory_best_step(c.scheme, e.eps), 1) : "none",
              std::isfinite(c.slope) ? text::fixed(c.slope, 2) : "-", std::to_string(theory_order(c.scheme)), check};
          best_csv.add_row(row);
          best_table.add_row(row);
          experiments.push_back({{"function", p.key}, {"precision", e.precision}, {"scheme", scheme_key(c.scheme)},
                                 {"best_step", c.best_h}, {"best_error", c.best_error},
                                 {"slope", std::isfinite(c.slope) ? nlohmann::json(c.slope) : nlohmann::json()},
                                 {"theory_slope", theory_order(c.scheme)}, {"slope_ok", c.slope_ok}});
        }
      }
    }
    std::cout << "\nBest step and its error per scheme (relative error; slopes fitted in the truncation regime)\n";
    best_table.print(std::cout);
    best_csv.write(options.out / "table-best-steps.csv");
    io::write_file_atomically(options.out / "table-best-steps.csv.title",
                                  "Best step per scheme, its error, and the fitted slope of the error (theory: "
                                  "1 forward, 2 central, 4 five-point, 2 complex step)\n");

    // The Taylor test: remainder against h for right and wrong backward passes.
    struct TaylorCase {
      std::string key, title;
      check::Differentiable fn;
      bool right;
    };
    std::vector<TaylorCase> cases;
    cases.push_back({"tanh_right", "tanh, right backward", tanh_layer(true, options.seed), true});
    cases.push_back({"tanh_wrong", "tanh, wrong backward (1 - Y)", tanh_layer(false, options.seed), false});
    cases.push_back({"batchnorm_right", "batch norm, right backward", batchnorm_layer(true, options.seed), true});
    cases.push_back({"batchnorm_wrong", "batch norm, dX without mean terms", batchnorm_layer(false, options.seed), false});
    check::TaylorOptions to;
    to.seed = options.seed;
    to.h_min = 1e-8;
    to.points_per_decade = options.full ? 4 : 2;
    to.fit_points = options.full ? 9 : 5;
    std::vector<check::TaylorResult> reports;
    for (const TaylorCase& c : cases) reports.push_back(check::taylor_test(c.fn, to));
    std::vector<std::string> columns{"h"};
    for (const TaylorCase& c : cases) columns.push_back(c.key);
    columns.push_back("guide_h");
    columns.push_back("guide_h2");
    output::Csv taylor_csv(columns);
    for (std::size_t i = 0; i < reports[0].points.size(); ++i) {
      const double h = reports[0].points[i].h;
      std::vector<double> row{h};
      for (const auto& r : reports) row.push_back(r.points[i].remainder > 0 ? r.points[i].remainder : 1e-18);
      row.push_back(1e-2 * h);
      row.push_back(1e-2 * h * h);
      taylor_csv.add_row(row);
    }
    taylor_csv.write(options.out / "taylor.csv");
    output::Csv taylor_table_csv({"case", "fitted slope", "expected", "points fitted", "verdict", "slope check"});
    text::Table taylor_table({"case", "fitted slope", "expected", "points fitted", "verdict", "slope check"});
    output::Figure tf;
    tf.name = "taylor";
    tf.title = "Taylor test: remainder |phi(x+hv) - phi(x) - h <g, v>| vs step h";
    tf.xlabel = "step h (v a random unit direction)";
    tf.ylabel = "first-order remainder";
    tf.logx = tf.logy = true;
    tf.width = 960;
    tf.height = 700;
    tf.commands = {"set key below maxrows 3 width -4", "set yrange [1e-18:1]"};
    const char* colours[] = {"#1f77b4", "#1f77b4", "#d62728", "#d62728"};
    nlohmann::json taylor_json = nlohmann::json::array();
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const check::TaylorResult& r = reports[k];
      const double expected = cases[k].right ? 2.0 : 1.0;
      const bool ok = std::isfinite(r.slope) && std::abs(r.slope - expected) <= 0.2 &&
                      (r.verdict == check::Verdict::pass) == cases[k].right;
      all_ok &= ok;
      const std::vector<std::string> row{cases[k].title, std::isfinite(r.slope) ? text::fixed(r.slope, 2) : "-",
                                         text::fixed(expected, 0), std::to_string(r.fitted),
                                         check::to_string(r.verdict), ok ? "ok" : "FAIL"};
      taylor_table.add_row(row);
      taylor_table_csv.add_row(row);
      tf.series.push_back({"taylor.csv", "h", cases[k].key,
                           cases[k].title + ": slope " + (std::isfinite(r.slope) ? text::fixed(r.slope, 2) : "-") +
                               " " + check::to_string(r.verdict),
                           "linespoints", std::string("lw 2 pt 7 ps 0.6 lc rgb '") + colours[k] + "'" +
                                              (cases[k].right ? "" : " dt 2"), ""});
      taylor_json.push_back({{"case", cases[k].key}, {"slope", r.slope}, {"verdict", check::to_string(r.verdict)},
                             {"note", r.note}});
    }
    tf.series.push_back({"taylor.csv", "h", "guide_h", "slope 1 (h): a wrong gradient", "lines", "dt 3 lw 1.5 lc rgb 'gray40'", ""});
    tf.series.push_back({"taylor.csv", "h", "guide_h2", "slope 2 (h^2): a right gradient", "lines", "dt 4 lw 1.5 lc rgb 'black'", ""});
    lab::render_or_warn(tf, options.out);
    std::cout << "\nTaylor test (slope of the first-order remainder; 2: right, 1: wrong)\n";
    taylor_table.print(std::cout);
    taylor_table_csv.write(options.out / "table-taylor.csv");
    io::write_file_atomically(options.out / "table-taylor.csv.title",
                                  "Taylor test: fitted slope of the remainder (2: right gradient, 1: wrong)\n");

    lab::write_summary(options, {{"steps_per_decade", per_decade}, {"experiments", experiments},
                                 {"taylor", taylor_json}, {"all_slopes_in_band", all_ok}});
    std::cout << (all_ok ? "\nevery fitted slope is within 0.2 of its theory\n"
                         : "\nsome fitted slope is outside its band (see FAIL above)\n");
    return all_ok ? 0 : 1;
  });
}
