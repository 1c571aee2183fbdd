#include "gradlab/check/checker.hpp"

#include "gradlab/check/building_blocks.hpp"

#include "gradlab/random.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace gradlab::check {

using detail::step_for;
using detail::Estimate;
using detail::TensorAccumulator;

const char* to_string(Scheme scheme) { return scheme == Scheme::central ? "central" : "forward"; }

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass: return "PASS";
    case Verdict::kink: return "KINK";
    case Verdict::inconclusive: return "INCONCLUSIVE";
    case Verdict::fail: return "FAIL";
  }
  return "?";
}

bool Tolerance::accepts(double analytic, double numeric) const {
  return std::abs(analytic - numeric) <= atol + rtol * std::abs(numeric);
}

double Tolerance::relative_error(double analytic, double numeric) const {
  const double scale = std::max({std::abs(analytic), std::abs(numeric), atol / rtol});
  return std::abs(analytic - numeric) / scale;
}

Tolerance Options::effective_tolerance() const {
  if (tolerance) return *tolerance;
  return scheme == Scheme::central ? default_central_tolerance : default_forward_tolerance;
}

double Options::effective_step() const {
  if (step > 0.0) return step;
  return scheme == Scheme::central ? default_central_step : default_forward_step;
}

Verdict classify(double analytic, double numeric, double left, double right,
                 const Tolerance& tol) {
  if (std::isfinite(analytic) && tol.accepts(analytic, numeric)) return Verdict::pass;
  const double low = std::min(left, right), high = std::max(left, right);
  const bool corner = !tol.accepts(low, high);  // the one-sided slopes disagree
  const double slack = tol.atol + tol.rtol * std::max(std::abs(low), std::abs(high));
  if (corner && analytic >= low - slack && analytic <= high + slack) return Verdict::kink;
  return Verdict::fail;
}

namespace {

// Moves x(i) by sign * h, runs f, puts x(i) back exactly. `taken` receives the step actually
// made, (x + h) - x, which is exact in floating point (h itself may not be representable there).
template <class F>
auto evaluate_moved(arma::mat& x, arma::uword i, double sign, double h, double& taken, F&& f) {
  const double x0 = x(i);
  x(i) = x0 + sign * h;
  taken = std::abs(x(i) - x0);
  auto value = f();
  x(i) = x0;
  return value;
}

CheckResult make_report(const Differentiable& fn, const char* method, const Options& o) {
  require(static_cast<bool>(fn.forward) && static_cast<bool>(fn.backward), "gradcheck",
          "the function under check needs both forward and backward");
  require(!fn.inputs.empty(), "gradcheck", "the function under check has no inputs");
  return detail::started_result("gradcheck", method, o);
}

bool gradient_has_shape(const std::vector<arma::mat>& grads, std::size_t t, const arma::mat& x) {
  return t < grads.size() && grads[t].n_rows == x.n_rows && grads[t].n_cols == x.n_cols;
}

// Why backward gave `second` after `first` for the same G, with a third call to tell a buffer
// that accumulates (the same increment each call) from other kept state (a constant ratio, or
// later calls that agree with each other) and from fresh random draws.
std::string why_not_repeatable(const std::string& name, const arma::mat& first,
                               const arma::mat& second, const std::vector<arma::mat>& third_all,
                               std::size_t t) {
  const std::string differ = "backward gave different " + name + " when run twice";
  if (second.n_elem != first.n_elem || t >= third_all.size() ||
      third_all[t].n_elem != first.n_elem)
    return differ;
  const arma::mat& third = third_all[t];
  auto close = [](const arma::mat& a, const arma::mat& b) {
    return arma::abs(a - b).max() <= 1e-10 * std::max(1.0, arma::abs(b).max());
  };
  const arma::mat step = second - first;
  if (close(third - second, step))
    return differ + ": each call adds the same increment, so it accumulates (+=) where it "
                    "should assign";
  const double ff = arma::accu(first % first);
  if (ff > 0.0) {
    const double ratio = arma::accu(second % first) / ff;
    if (close(second, ratio * first)) {
      char text[32];
      std::snprintf(text, sizeof text, "%.4g", ratio);
      return differ + ": the second call returned " + text +
             " x the first, so it keeps state between calls (e.g. a velocity kept in the "
             "gradient buffer)";
    }
  }
  if (close(third, second))
    return differ + ": the later calls agree with each other but not with the first, so it "
                    "keeps state from earlier calls (e.g. a buffer or a velocity carried over)";
  return differ + ": different numbers at every call (a random draw in backward, e.g. a "
                  "fresh dropout mask?)";
}

}  // namespace

Verdict TensorResult::verdict() const {
  if (failed > 0 || checked == 0) return Verdict::fail;
  if (inconclusive > 0) return Verdict::inconclusive;
  return kinks > 0 ? Verdict::kink : Verdict::pass;
}

Verdict CheckResult::verdict() const {
  if (!contract.holds()) return Verdict::fail;
  Verdict v = Verdict::pass;  // the enum is ordered from PASS to FAIL
  for (const TensorResult& t : tensors) v = std::max(v, t.verdict());
  return v;
}

arma::mat numerical_gradient(const std::function<double()>& f, arma::mat& x,
                             const Options& options) {
  const double step = options.effective_step();
  arma::mat n(arma::size(x));
  const double f0 = options.scheme == Scheme::forward ? f() : 0.0;
  for (arma::uword i = 0; i < x.n_elem; ++i) {
    const double h = step_for(x(i), step);
    double hp = 0.0, hm = 0.0;
    const double fp = evaluate_moved(x, i, +1.0, h, hp, f);
    if (options.scheme == Scheme::forward) {
      n(i) = (fp - f0) / hp;
    } else {
      const double fm = evaluate_moved(x, i, -1.0, h, hm, f);
      n(i) = (fp - fm) / (hp + hm);
    }
  }
  return n;
}

double directional_miss_probability(double relative_error, int directions, const Tolerance& tol) {
  require(relative_error > 0.0 && directions > 0, "directional_miss_probability",
          "relative error " + std::to_string(relative_error) + " and directions " +
              std::to_string(directions) + " must be positive");
  const double one = 2.0 / arma::datum::pi * std::atan(tol.rtol / relative_error);
  return std::pow(one, directions);
}

double directional_certified_error(int directions, double miss, const Tolerance& tol) {
  require(miss > 0.0 && miss < 1.0 && directions > 0, "directional_certified_error",
          "miss probability " + std::to_string(miss) + " must lie in (0, 1), directions " +
              std::to_string(directions) + " be positive");
  // ((2/pi) atan(rtol / r))^k = miss  <=>  r = rtol / tan((pi/2) miss^(1/k)).
  return tol.rtol / std::tan(arma::datum::pi / 2.0 * std::pow(miss, 1.0 / directions));
}

ContractResult check_contract(const Differentiable& fn, const arma::mat& G, std::uint64_t seed,
                              const std::vector<arma::mat>* earlier) {
  ContractResult c;
  const std::vector<arma::mat> first = fn.backward(G);
  auto fail = [&c](bool& flag, const std::string& why) {
    flag = false;
    if (c.problem.empty()) c.problem = why;
  };
  if (first.size() != fn.inputs.size())
    fail(c.assigned, "backward returned " + std::to_string(first.size()) + " gradients for " +
                         std::to_string(fn.inputs.size()) + " inputs");
  for (std::size_t t = 0; t < fn.inputs.size() && c.assigned; ++t) {
    const auto& [name, x] = fn.inputs[t];
    if (!gradient_has_shape(first, t, *x))
      fail(c.assigned, "d" + name + " is " + shape_of(first[t]) + " but " + name + " is " +
                           shape_of(*x));
    else if (x->is_finite() && !first[t].is_finite())
      fail(c.assigned, "d" + name + " has non-finite entries (unassigned or overflowed)");
  }
  if (!c.assigned) return c;

  // Run twice: the very same numbers (no hidden state, no accumulation into old buffers), and
  // the same as the earlier call's.
  const std::vector<arma::mat> second = fn.backward(G);
  if (earlier && earlier->size() == first.size())
    for (std::size_t t = 0; t < first.size() && c.repeatable; ++t)
      if (!gradient_has_shape(*earlier, t, first[t]) ||
          arma::any(arma::vectorise((*earlier)[t] != first[t])))
        fail(c.repeatable,
             why_not_repeatable("d" + fn.inputs[t].first, (*earlier)[t], first[t], second, t));
  for (std::size_t t = 0; t < first.size() && c.repeatable; ++t)
    if (second.size() != first.size() || !gradient_has_shape(second, t, first[t]) ||
        arma::any(arma::vectorise(second[t] != first[t])))
      fail(c.repeatable, why_not_repeatable("d" + fn.inputs[t].first, first[t], second[t],
                                            fn.backward(G), t));

  // Linear in the upstream gradient: backward(a G + G2) = a backward(G) + backward(G2).
  // a is negative and not a power of two, so |G| or a lucky exponent shift cannot pass.
  Rng rng(seed);
  const arma::mat G2 = random_normal(G.n_rows, G.n_cols, rng);
  const double a = -1.5;
  const std::vector<arma::mat> g2 = fn.backward(G2);
  const std::vector<arma::mat> combined = fn.backward(a * G + G2);
  for (std::size_t t = 0; t < first.size(); ++t) {
    if (g2.size() != first.size() || combined.size() != first.size() ||
        !gradient_has_shape(g2, t, first[t]) || !gradient_has_shape(combined, t, first[t])) {
      fail(c.linear, "backward changed the shape of d" + fn.inputs[t].first);
      continue;
    }
    const arma::mat expected = a * first[t] + g2[t];
    const double scale = std::max(1.0, arma::abs(expected).max());
    if (arma::abs(combined[t] - expected).max() > 1e-10 * scale)
      fail(c.linear, "d" + fn.inputs[t].first + " is not linear in the upstream gradient");
  }
  return c;
}

namespace {

// The samples in the batch (Differentiable::batch).
arma::uword batch_of(const Differentiable& fn, const arma::mat& Y) {
  if (fn.batch > 0) return fn.batch;
  return Y.n_cols > 1 ? Y.n_cols : 0;
}

// What a diagnosis of input t may relate its mismatch to: the other inputs, the output Y and
// the upstream gradient G (named fn.upstream); and, for every other square input, the numeric gradient of
// <G, forward()> with that input transposed (central differences at the check's step).
Evidence vjp_context(const Differentiable& fn, std::size_t t, const arma::mat& Y,
                     const arma::mat& G, const ContractResult& contract, double step) {
  Evidence e = detail::context_of(contract, batch_of(fn, Y));
  for (const auto& [name, x] : fn.inputs) e.related.push_back({name, *x});
  e.related.push_back({"Y", Y});
  e.related.push_back({fn.upstream, G});
  for (std::size_t s = 0; s < fn.inputs.size(); ++s) {
    const auto& [name, xs] = fn.inputs[s];
    if (s == t || xs->n_rows != xs->n_cols || xs->n_rows < 2) continue;
    e.transposed.push_back({name, [&fn, s, t, &G, step] {
      arma::mat& square = *fn.inputs[s].second;
      arma::mat& x = *fn.inputs[t].second;
      const arma::mat kept = square;
      square = kept.t();
      arma::mat n(arma::size(x));
      for (arma::uword i = 0; i < x.n_elem; ++i) {
        const double h = step_for(x(i), step);
        double hp = 0.0, hm = 0.0;
        auto forward = [&fn] { return fn.forward(); };
        const arma::mat Yp = evaluate_moved(x, i, +1.0, h, hp, forward);
        const arma::mat Ym = evaluate_moved(x, i, -1.0, h, hm, forward);
        n(i) = arma::accu(G % (Yp - Ym)) / (hp + hm);
      }
      square = kept;
      return n;
    }});
  }
  return e;
}

}  // namespace

CheckResult check_vjp(const Differentiable& fn, const Options& o) {
  CheckResult r = make_report(fn, "vjp", o);
  const double step = r.step;
  const Tolerance tol = o.effective_tolerance();
  Rng rng(o.seed);
  const arma::mat Y_shape = fn.forward();
  const arma::mat G = random_normal(Y_shape.n_rows, Y_shape.n_cols, rng);
  const std::vector<arma::mat> grads = fn.backward(G);
  r.contract = check_contract(fn, G, o.seed + 1, &grads);
  const arma::mat Y0 = fn.forward();
  auto forward = [&fn] { return fn.forward(); };
  // <G, Ya - Yb>: differencing the outputs before the sum keeps the rounding error of the
  // difference quotient at the scale of the outputs that moved, not of the whole sum.
  auto change = [&G](const arma::mat& Ya, const arma::mat& Yb) { return arma::accu(G % (Ya - Yb)); };

  for (std::size_t t = 0; t < fn.inputs.size(); ++t) {
    auto& [name, xp] = fn.inputs[t];
    arma::mat& x = *xp;
    TensorAccumulator acc("d" + name, x.n_rows, x.n_cols, tol);
    const bool usable = gradient_has_shape(grads, t, x);
    for (arma::uword i = 0; i < x.n_elem; ++i) {
      const arma::uword row = i % x.n_rows, col = i / x.n_rows;
      const double a = usable ? grads[t](i) : arma::datum::nan;
      // The scheme's estimate at factor * h; the left slope only when asked (forward
      // differences need it only to judge a kink).
      auto estimate = [&, i](double factor, bool left_too) {
        const double h = factor * step_for(x(i), step);
        double hp = 0.0, hm = 0.0;
        const arma::mat Yp = evaluate_moved(x, i, +1.0, h, hp, forward);
        Estimate e;
        e.right = e.left = e.numeric = change(Yp, Y0) / hp;
        if (o.scheme == Scheme::central || left_too) {
          const arma::mat Ym = evaluate_moved(x, i, -1.0, h, hm, forward);
          e.left = change(Y0, Ym) / hm;
          if (o.scheme == Scheme::central) e.numeric = change(Yp, Ym) / (hp + hm);
        }
        return e;
      };
      Estimate e = estimate(1.0, false);
      if (!tol.accepts(a, e.numeric)) e = estimate(1.0, true);
      acc.add(row, col, a, e.numeric, e.left, e.right, [&](double factor) { return estimate(factor, true); });
    }
    r.tensors.push_back(acc.take(acc.failing() ? vjp_context(fn, t, Y0, G, r.contract, step) : Evidence{}));
  }
  return r;
}

CheckResult check_jacobian(const Differentiable& fn, const Options& o) {
  CheckResult r = make_report(fn, "jacobian", o);
  const double step = r.step;
  const Tolerance tol = o.effective_tolerance();
  const arma::mat Y0 = fn.forward();
  const arma::uword outputs = Y0.n_elem;
  auto forward = [&fn] { return fn.forward(); };

  // Analytic rows: row k of d vec(Y) / d vec(x) is backward(e_k).
  std::vector<arma::mat> analytic;
  for (const auto& [name, x] : fn.inputs)
    analytic.emplace_back(outputs, x->n_elem, arma::fill::value(arma::datum::nan));
  for (arma::uword k = 0; k < outputs; ++k) {
    arma::mat E(arma::size(Y0), arma::fill::zeros);
    E(k) = 1.0;
    const std::vector<arma::mat> grads = fn.backward(E);
    for (std::size_t t = 0; t < fn.inputs.size(); ++t)
      if (gradient_has_shape(grads, t, *fn.inputs[t].second))
        analytic[t].row(k) = arma::vectorise(grads[t]).t();
  }
  Rng rng(o.seed);
  r.contract = check_contract(fn, random_normal(Y0.n_rows, Y0.n_cols, rng), o.seed + 1);

  for (std::size_t t = 0; t < fn.inputs.size(); ++t) {
    auto& [name, xp] = fn.inputs[t];
    arma::mat& x = *xp;
    TensorAccumulator acc("J[" + name + "]", outputs, x.n_elem, tol);
    const arma::vec Y0v = arma::vectorise(Y0);
    for (arma::uword i = 0; i < x.n_elem; ++i) {
      // Column i of the Jacobian at factor * h: the scheme's estimate and both slopes.
      auto column = [&, i](double factor) {
        const double h = factor * step_for(x(i), step);
        double hp = 0.0, hm = 0.0;
        const arma::vec Yp = arma::vectorise(evaluate_moved(x, i, +1.0, h, hp, forward));
        const arma::vec Ym = arma::vectorise(evaluate_moved(x, i, -1.0, h, hm, forward));
        const arma::vec right = (Yp - Y0v) / hp, left = (Y0v - Ym) / hm;
        const arma::vec numeric = o.scheme == Scheme::central ? arma::vec((Yp - Ym) / (hp + hm)) : right;
        return std::array<arma::vec, 3>{numeric, left, right};
      };
      const auto [numeric, left, right] = column(1.0);
      for (arma::uword k = 0; k < outputs; ++k) {
        acc.add(k, i, analytic[t](k, i), numeric(k), left(k), right(k), [&column, k](double factor) {
          const auto [n, l, r] = column(factor);
          return Estimate{n(k), l(k), r(k)};
        });
      }
    }
    r.tensors.push_back(acc.take(detail::context_of(r.contract)));
  }
  return r;
}

CheckResult check_directional(const Differentiable& fn, int directions, const Options& o) {
  CheckResult r = make_report(fn, "directional", o);
  require(directions > 0, "check_directional",
          "directions = " + std::to_string(directions) + " must be positive");
  const Tolerance tol = o.effective_tolerance();
  r.certified_error = directional_certified_error(directions, 1e-6, tol);
  Rng rng(o.seed);
  const arma::mat Y0 = fn.forward();
  const arma::mat G = random_normal(Y0.n_rows, Y0.n_cols, rng);
  const std::vector<arma::mat> grads = fn.backward(G);
  r.contract = check_contract(fn, G, o.seed + 1, &grads);
  if (!r.contract.assigned) {
    TensorAccumulator acc("directions", static_cast<arma::uword>(directions), 1, tol);
    acc.add_missing(0, 0);
    r.tensors.push_back(acc.take());
    return r;
  }
  // One step for the whole direction, relative to the largest input value.
  double largest = 0.0;
  for (const auto& [name, x] : fn.inputs) largest = std::max(largest, arma::abs(*x).max());
  const double h = r.step * std::max(1.0, largest);

  TensorAccumulator acc("directions", static_cast<arma::uword>(directions), 1, tol);
  for (int d = 0; d < directions; ++d) {
    // v: a random unit vector over all inputs together.
    std::vector<arma::mat> v;
    double norm2 = 0.0;
    for (const auto& [name, x] : fn.inputs) {
      v.push_back(random_normal(x->n_rows, x->n_cols, rng));
      norm2 += arma::accu(arma::square(v.back()));
    }
    double analytic = 0.0;
    for (std::size_t t = 0; t < v.size(); ++t) {
      v[t] /= std::sqrt(norm2);
      analytic += arma::accu(grads[t] % v[t]);
    }
    auto moved = [&](double step) {
      std::vector<arma::mat> saved;
      for (std::size_t t = 0; t < v.size(); ++t) {
        saved.push_back(*fn.inputs[t].second);
        *fn.inputs[t].second += step * v[t];
      }
      arma::mat Y = fn.forward();
      for (std::size_t t = 0; t < v.size(); ++t) *fn.inputs[t].second = saved[t];
      return Y;
    };
    auto estimate = [&](double factor) {
      const double step = factor * h;
      const arma::mat Yp = moved(+step), Ym = moved(-step);
      Estimate e;
      e.right = arma::accu(G % (Yp - Y0)) / step;
      e.left = arma::accu(G % (Y0 - Ym)) / step;
      e.numeric = o.scheme == Scheme::central ? arma::accu(G % (Yp - Ym)) / (2.0 * step) : e.right;
      return e;
    };
    const Estimate e = estimate(1.0);
    acc.add(static_cast<arma::uword>(d), 0, analytic, e.numeric, e.left, e.right, estimate);
  }
  r.tensors.push_back(acc.take(detail::context_of(r.contract)));
  return r;
}

}  // namespace gradlab::check
