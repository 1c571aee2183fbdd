// The checker is itself checked: it must FAIL deliberately wrong backward passes and name the
// tensor and element, report ReLU's corner at 0 as a kink held to the subgradient bracket, and
// catch a backward that breaks the contract (not repeatable, not linear, unassigned), each with
// its diagnosis (checks/check_diagnosis.cpp plants every pattern).
#include "gradlab/check/checker.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/random.hpp"
#include "bugged_affine.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace gradlab;
using check::Verdict;
using Mats = std::vector<arma::mat>;

using namespace gradlab::checks;

namespace {

struct Data {
  arma::mat A, B, C;
  arma::uvec labels;
};

// X -> tanh(X) with the given backward(dY, Y).
check::Differentiable tanh_with(arma::mat (*backward)(const arma::mat&, const arma::mat&)) {
  auto d = std::make_shared<Data>();
  Rng rng(3);
  d->A = random_normal(4, 5, rng);
  return {{{"X", &d->A}},
          [d] { return ops::tanh_forward(d->A); },
          [d, backward](const arma::mat& G) { return Mats{backward(G, ops::tanh_forward(d->A))}; },
          d};
}

check::Differentiable batchnorm_without_mean_terms() {
  auto d = std::make_shared<Data>();
  Rng rng(5);
  d->A = random_normal(3, 6, rng);
  d->B = 1.0 + 0.3 * random_normal(3, 1, rng);
  d->C = random_normal(3, 1, rng);
  return {{{"X", &d->A}, {"gamma", &d->B}, {"beta", &d->C}},
          [d] { return ops::batchnorm_forward(d->A, d->B, d->C).Y; },
          [d](const arma::mat& G) {
            const ops::BatchNormForward f = ops::batchnorm_forward(d->A, d->B, d->C);
            ops::BatchNormGrads g = ops::batchnorm_backward(G, d->B, f.cache);
            // the bug: drop the path through the mean (- sum_b dY) and the variance
            g.dX = G;
            g.dX.each_col() %= d->B % f.cache.inv_std;
            return Mats{g.dX, g.dgamma, g.dbeta};
          },
          d};
}

check::Differentiable softmax_ce_without_batch_mean() {
  auto d = std::make_shared<Data>();
  Rng rng(6);
  d->A = random_normal(5, 4, rng);
  d->labels = {0, 3, 2, 3};
  return {{{"logits", &d->A}},
          [d] { return arma::mat{ops::softmax_cross_entropy_forward(d->A, d->labels).loss}; },
          [d](const arma::mat& G) {
            const arma::mat probs = ops::softmax_cross_entropy_forward(d->A, d->labels).probs;
            return Mats{G(0, 0) * (probs - one_hot(d->labels, 5))};  // the bug: no 1/B
          },
          d};
}

// ReLU on inputs of which `zeros` entries are exactly 0, with the derivative at 0 given.
check::Differentiable relu_with_zeros(double derivative_at_zero, arma::uword zeros) {
  auto d = std::make_shared<Data>();
  Rng rng(8);
  d->A = random_normal(4, 5, rng);
  for (arma::uword i = 0; i < zeros; ++i) d->A(3 * i) = 0.0;
  return {{{"X", &d->A}},
          [d] { return ops::relu_forward(d->A); },
          [d, derivative_at_zero](const arma::mat& G) {
            arma::mat dX = ops::relu_backward(G, d->A);
            for (arma::uword i = 0; i < d->A.n_elem; ++i)
              if (d->A(i) == 0.0) dX(i) = derivative_at_zero * G(i);
            return Mats{dX};
          },
          d};
}

const check::TensorResult& tensor(const check::CheckResult& r, const std::string& name) {
  for (const auto& t : r.tensors)
    if (t.name == name) return t;
  FAIL("no tensor " << name);
  return r.tensors.front();
}

}  // namespace

TEST_CASE("checker: passes the correct tanh and fails tanh' = 1 - Y (no square)",
          "[checker][tanh]") {
  const check::CheckResult good = check::check_vjp(tanh_with(ops::tanh_backward));
  CHECK(good.verdict() == Verdict::pass);
  CHECK(tensor(good, "dX").max_rel_error < 1e-8);

  auto wrong = [](const arma::mat& dY, const arma::mat& Y) -> arma::mat { return dY % (1.0 - Y); };
  const check::CheckResult bad = check::check_vjp(tanh_with(wrong));
  REQUIRE(bad.verdict() == Verdict::fail);
  const check::TensorResult& dX = tensor(bad, "dX");
  CHECK(dX.failed > 0);
  CHECK(dX.max_rel_error > 1e-2);
  // 1 - Y for 1 - Y^2 is a wrong formula, not one of the diagnosed patterns: said so.
  CHECK(dX.diagnosis.pattern == check::Pattern::unknown);
  // The worst element's analytic value is the buggy one: dY (1 - Y) at that element.
  auto fn = tanh_with(ops::tanh_backward);
  const arma::mat Y = fn.forward();
  CHECK(std::abs(dX.worst_numeric - dX.worst_analytic) > 1e-3);
  CHECK(dX.worst_row < Y.n_rows);
  CHECK(dX.worst_col < Y.n_cols);
}

TEST_CASE("checker: fails affine's dX without the transpose, and only dX", "[checker][affine]") {
  CHECK(check::check_vjp(affine_with(true)).verdict() == Verdict::pass);
  const check::CheckResult bad = check::check_vjp(affine_with(false));
  REQUIRE(bad.verdict() == Verdict::fail);
  CHECK(tensor(bad, "dX").failed > 0);
  CHECK(tensor(bad, "dW").verdict() == Verdict::pass);
  CHECK(tensor(bad, "db").verdict() == Verdict::pass);
  CHECK(tensor(bad, "dX").diagnosis.pattern == check::Pattern::transpose);
  // The full Jacobian sees it too, in J[X] only: the transposed block of W.
  const check::CheckResult jacobian = check::check_jacobian(affine_with(false));
  CHECK(tensor(jacobian, "J[X]").verdict() == Verdict::fail);
  CHECK(tensor(jacobian, "J[X]").diagnosis.pattern == check::Pattern::transpose);
  CHECK(tensor(jacobian, "J[W]").verdict() == Verdict::pass);
}

TEST_CASE("checker: fails batch norm's dX without its mean and variance terms",
          "[checker][batchnorm]") {
  const check::CheckResult bad = check::check_vjp(batchnorm_without_mean_terms());
  REQUIRE(bad.verdict() == Verdict::fail);
  CHECK(tensor(bad, "dX").failed == tensor(bad, "dX").checked);  // every sample is coupled
  CHECK(tensor(bad, "dX").diagnosis.pattern == check::Pattern::missing_term);
  CHECK(tensor(bad, "dgamma").verdict() == Verdict::pass);
  CHECK(tensor(bad, "dbeta").verdict() == Verdict::pass);
}

TEST_CASE("checker: fails softmax cross-entropy without the 1/B of the batch mean",
          "[checker][softmax_cross_entropy]") {
  const check::CheckResult bad = check::check_vjp(softmax_ce_without_batch_mean());
  REQUIRE(bad.verdict() == Verdict::fail);
  const check::TensorResult& t = tensor(bad, "dlogits");
  CHECK(t.failed == t.checked);
  // Off by exactly the batch size, 4: analytic = 4 x numeric at the worst element.
  CHECK(t.worst_analytic == Approx(4.0 * t.worst_numeric).epsilon(1e-6));
  CHECK(t.diagnosis.pattern == check::Pattern::scale);
  CHECK(t.diagnosis.constant == Approx(4.0).epsilon(1e-6));
}

TEST_CASE("checker: ReLU at 0 is reported as kinks, one per zero input", "[checker][relu][kink]") {
  const check::CheckResult r = check::check_vjp(relu_with_zeros(0.0, 4));
  const check::TensorResult& dX = tensor(r, "dX");
  CHECK(dX.kinks == 4);
  CHECK(dX.failed == 0);
  CHECK(dX.passed == dX.checked - 4);
  CHECK(r.verdict() == Verdict::kink);
  // Any derivative in [0, 1] at 0 is a subgradient: still a kink, not a failure.
  CHECK(check::check_vjp(relu_with_zeros(1.0, 4)).verdict() == Verdict::kink);
  // 1/2, the mean of the one-sided slopes, is exactly what central differences measure there.
  CHECK(check::check_vjp(relu_with_zeros(0.5, 4)).verdict() == Verdict::pass);
}

TEST_CASE("checker: a ReLU derivative at 0 outside [0, 1] fails the bracket",
          "[checker][relu][kink]") {
  for (double wrong : {2.0, -0.5}) {
    const check::CheckResult r = check::check_vjp(relu_with_zeros(wrong, 4));
    CHECK(r.verdict() == Verdict::fail);
    CHECK(tensor(r, "dX").failed == 4);
  }
}

TEST_CASE("checker: classify separates pass, kink and fail", "[checker]") {
  const check::Tolerance tol;
  CHECK(check::classify(1.0, 1.0 + 1e-9, 1.0, 1.0, tol) == Verdict::pass);
  CHECK(check::classify(0.0, 0.5, 0.0, 1.0, tol) == Verdict::kink);  // a corner, a inside
  CHECK(check::classify(1.5, 0.5, 0.0, 1.0, tol) == Verdict::fail);  // a outside the bracket
  CHECK(check::classify(0.2, 0.5, 0.5, 0.5, tol) == Verdict::fail);  // smooth: no bracket
  CHECK(check::classify(arma::datum::nan, 0.5, 0.0, 1.0, tol) == Verdict::fail);
}

TEST_CASE("checker: numerical_gradient of sum(x^3) is 3 x^2, x restored exactly", "[checker]") {
  Rng rng(9);
  arma::mat x = random_normal(3, 4, rng);
  const arma::mat original = x;
  auto f = [&x] { return arma::accu(arma::pow(x, 3)); };
  const arma::mat n = check::numerical_gradient(f, x);
  CHECK(arma::approx_equal(x, original, "absdiff", 0.0));
  check::Options forward;
  forward.scheme = check::Scheme::forward;
  const arma::mat nf = check::numerical_gradient(f, x, forward);
  for (arma::uword i = 0; i < x.n_elem; ++i) {
    // For x^3 the errors are known exactly: central ((x+h)^3 - (x-h)^3) / 2h = 3x^2 + h^2,
    // forward ((x+h)^3 - x^3) / h = 3x^2 + 3xh + h^2; h = step max(1, |x|), plus rounding.
    const double h = check::default_central_step * std::max(1.0, std::abs(x(i)));
    CHECK(std::abs(n(i) - (3.0 * x(i) * x(i) + h * h)) < 1e-9);
    const double hf = check::default_forward_step * std::max(1.0, std::abs(x(i)));
    CHECK(std::abs(nf(i) - (3.0 * x(i) * x(i) + 3.0 * x(i) * hf)) < 1e-6);
  }
}

TEST_CASE("checker: a backward that accumulates is not repeatable", "[checker][contract]") {
  auto fn = tanh_with(ops::tanh_backward);
  auto accumulated = std::make_shared<arma::mat>();
  auto inner = fn.backward;
  fn.backward = [inner, accumulated](const arma::mat& G) {
    const Mats g = inner(G);
    if (accumulated->is_empty()) *accumulated = arma::zeros(arma::size(g[0]));
    *accumulated += g[0];  // the bug: += into a buffer never zeroed
    return Mats{*accumulated};
  };
  const check::CheckResult r = check::check_vjp(fn);
  CHECK_FALSE(r.contract.repeatable);
  CHECK(r.verdict() == Verdict::fail);
  CHECK(r.contract.problem.find("accumulates") != std::string::npos);
}

TEST_CASE("checker: a backward that is not linear in dY breaks the contract", "[checker][contract]") {
  auto fn = tanh_with(ops::tanh_backward);
  auto inner = fn.backward;
  fn.backward = [inner](const arma::mat& G) { return inner(arma::abs(G)); };
  const check::CheckResult r = check::check_vjp(fn);
  CHECK_FALSE(r.contract.linear);
  CHECK(r.verdict() == Verdict::fail);
  CHECK(tensor(r, "dX").diagnosis.pattern == check::Pattern::contract);
}

TEST_CASE("checker: an unassigned (NaN) or misshapen gradient fails", "[checker][contract]") {
  auto fn = affine_with(true);
  auto inner = fn.backward;
  fn.backward = [inner](const arma::mat& G) {
    Mats g = inner(G);
    g[1](2) = arma::datum::nan;  // one bias entry never written
    return g;
  };
  const check::CheckResult r = check::check_vjp(fn);
  CHECK_FALSE(r.contract.assigned);
  CHECK(tensor(r, "db").failed == 1);
  CHECK(tensor(r, "db").worst_row == 2);
  CHECK(tensor(r, "db").diagnosis.pattern == check::Pattern::contract);
  CHECK(r.verdict() == Verdict::fail);

  auto misshapen = affine_with(true);
  auto inner2 = misshapen.backward;
  misshapen.backward = [inner2](const arma::mat& G) {
    Mats g = inner2(G);
    g[0].resize(g[0].n_rows + 1, g[0].n_cols);  // dW one row too many
    return g;
  };
  const check::CheckResult r2 = check::check_vjp(misshapen);
  CHECK_FALSE(r2.contract.assigned);
  CHECK(tensor(r2, "dW").failed == tensor(r2, "dW").checked);
  CHECK(tensor(r2, "dW").diagnosis.pattern == check::Pattern::contract);
}

TEST_CASE("checker: the directional mode passes correct and fails wrong backward passes",
          "[checker][directional]") {
  CHECK(check::check_directional(affine_with(true), 6).verdict() == Verdict::pass);
  CHECK(check::check_directional(affine_with(false), 6).verdict() == Verdict::fail);
  CHECK(check::check_directional(batchnorm_without_mean_terms(), 6).verdict() == Verdict::fail);
  const check::CheckResult r = check::check_directional(batchnorm_without_mean_terms(), 6);
  CHECK(r.tensors.at(0).checked == 6);
}

TEST_CASE("checker: forward differences pass correct ops at their own tolerance", "[checker]") {
  check::Options forward;
  forward.scheme = check::Scheme::forward;
  CHECK(check::check_vjp(affine_with(true), forward).verdict() == Verdict::pass);
  CHECK(check::check_vjp(affine_with(false), forward).verdict() == Verdict::fail);
  CHECK(check::check_vjp(tanh_with(ops::tanh_backward), forward).verdict() == Verdict::pass);
}

TEST_CASE("checker: a step outside (0, 1) is an error", "[checker][errors]") {
  check::Options o;
  o.step = 2.0;
  CHECK_THROWS_AS(check::check_vjp(affine_with(true), o), std::invalid_argument);
  CHECK_THROWS_WITH(check::check_directional(affine_with(true), 0), Catch::Contains("directions"));
}

namespace {

// sin(X) with noise of `relative` times each output, drawn afresh at every forward call (as a
// function computed in float, or by a stochastic solver, behaves); backward is cos(X) G, times
// `factor` (1: right).
check::Differentiable noisy_sine(double relative, double factor, std::uint64_t seed) {
  auto d = std::make_shared<Data>();
  auto noise = std::make_shared<Rng>(seed + 1000);
  Rng rng(seed);
  d->A = random_normal(4, 5, rng);
  return {{{"X", &d->A}},
          [d, noise, relative] {
            arma::mat Y = arma::sin(d->A);
            return arma::mat(Y % (1.0 + relative * random_uniform(Y.n_rows, Y.n_cols, *noise, -1.0, 1.0)));
          },
          [d, factor](const arma::mat& G) { return Mats{arma::mat(factor * G % arma::cos(d->A))}; },
          d};
}

}  // namespace

TEST_CASE("checker: noise at 1e-7 relative is INCONCLUSIVE, not FAIL", "[checker][inconclusive]") {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    INFO("seed " << seed);
    const check::CheckResult r = check::check_vjp(noisy_sine(1e-7, 1.0, seed));
    const check::TensorResult& t = tensor(r, "dX");
    // A fixed tolerance would call these FAIL: their error is far above 1e-9 + 1e-6 |n| ...
    CHECK(t.max_rel_error > 1e-4);
    CHECK(t.inconclusive > 0);
    // ... but it lies within the numeric value's own error, which grows as the step shrinks.
    CHECK(t.failed == 0);
    CHECK(t.inconclusive_reason == "rounding noise");
    CHECK(r.verdict() == Verdict::inconclusive);
    // A real mistake on the same noisy function still FAILs: the band is the estimate's error,
    // not a looser tolerance.
    const check::CheckResult wrong = check::check_vjp(noisy_sine(1e-7, 1.5, seed));
    CHECK(wrong.verdict() == Verdict::fail);
    CHECK(tensor(wrong, "dX").failed > 0);
  }
  // Without noise, nothing is inconclusive.
  const check::CheckResult clean = check::check_vjp(noisy_sine(0.0, 1.0, 1));
  CHECK(clean.verdict() == Verdict::pass);
  CHECK(tensor(clean, "dX").inconclusive == 0);
}

TEST_CASE("checker: a step too large for the curvature is INCONCLUSIVE, not FAIL",
          "[checker][inconclusive]") {
  // sin near its inflection point 0 with step 1e-2: both one-sided slopes, sin(h)/h, lie below
  // cos(0) = 1 by h^2 / 6 (about 2e-5 relative), outside the bracket and the tolerance.
  auto near_zero = [](double factor) {
    check::Differentiable fn = noisy_sine(0.0, factor, 1);
    fn.inputs[0].second->fill(1e-4);
    return fn;
  };
  check::Options coarse;
  coarse.step = 1e-2;
  const check::CheckResult r = check::check_vjp(near_zero(1.0), coarse);
  const check::TensorResult& t = tensor(r, "dX");
  CHECK(t.failed == 0);
  CHECK(t.inconclusive == t.checked);
  CHECK(t.inconclusive_reason == "a step too large for the curvature");
  CHECK(check::check_vjp(near_zero(1.5), coarse).verdict() == Verdict::fail);
  // At the default step the same function passes.
  CHECK(check::check_vjp(near_zero(1.0)).verdict() == Verdict::pass);
}

TEST_CASE("checker: a kink between h and 2h away makes a small error INCONCLUSIVE",
          "[checker][inconclusive][kink]") {
  // ReLU at x = 1.5 h: the estimate at h is exact (1), the one at 2h crosses the corner (0.875).
  // A derivative off by 1e-3 fails at h, but the numbers cannot certify it: the estimate's own
  // error, seen at 2h, is larger.
  auto d = std::make_shared<Data>();
  d->A = arma::mat(3, 2, arma::fill::value(1.5e-5));
  check::Differentiable fn{{{"X", &d->A}},
                           [d] { return ops::relu_forward(d->A); },
                           [d](const arma::mat& G) { return Mats{arma::mat(1.001 * ops::relu_backward(G, d->A))}; },
                           d};
  const check::CheckResult r = check::check_vjp(fn);
  const check::TensorResult& t = tensor(r, "dX");
  CHECK(t.inconclusive == t.checked);
  CHECK(t.inconclusive_reason == "a kink within the step");
  // Away from the corner the same error FAILs.
  d->A.fill(0.5);
  CHECK(check::check_vjp(fn).verdict() == Verdict::fail);
}

TEST_CASE("checker: what k directions certify agrees with the measured miss rate",
          "[checker][directional]") {
  // Planted errors orthogonal to the gradient (the hardest case), of relative size r = 10 rtol,
  // so that a direction misses often enough to be counted: the stated probability per
  // direction is (2/pi) atan(0.1) = 0.0635, for two directions its square, 0.0040.
  const check::Tolerance tol;
  const double r = 10.0 * tol.rtol;
  Rng rng(77);
  for (int k : {1, 2}) {
    const double stated = check::directional_miss_probability(r, k, tol);
    const int trials = 3000;
    int missed = 0;
    for (int trial = 0; trial < trials; ++trial) {
      // f(X) = <C, X>: gradient C (entries about 1); the planted analytic gradient C + E.
      auto d = std::make_shared<Data>();
      d->A = random_normal(6, 5, rng);
      const arma::mat C = random_normal(6, 5, rng);
      arma::mat E = random_normal(6, 5, rng);
      E -= arma::accu(E % C) / arma::accu(C % C) * C;  // orthogonal to C
      E *= r * arma::norm(arma::vectorise(C)) / arma::norm(arma::vectorise(E));
      const check::Differentiable fn{{{"X", &d->A}},
                                     [d, C] { return arma::mat{arma::accu(C % d->A)}; },
                                     [C, E](const arma::mat& G) { return Mats{G(0, 0) * (C + E)}; },
                                     d};
      check::Options o;
      o.seed = static_cast<std::uint64_t>(1000 * k + trial);
      if (check::check_directional(fn, k, o).verdict() != Verdict::fail) ++missed;
    }
    const double measured = static_cast<double>(missed) / trials;
    const double sigma = std::sqrt(stated * (1.0 - stated) / trials);
    INFO(k << " directions: stated " << stated << ", measured " << measured << " (" << missed << " of " << trials << ")");
    CHECK(std::abs(measured - stated) <= 4.0 * sigma + 1.0 / trials);
  }
  // The certified error is where the stated miss probability is 1e-6.
  const double certified = check::directional_certified_error(8, 1e-6, tol);
  CHECK(check::directional_miss_probability(certified, 8, tol) == Approx(1e-6).epsilon(1e-9));
  CHECK(certified > tol.rtol);
  CHECK(check::check_directional(tanh_with(ops::tanh_backward), 8).certified_error == Approx(certified));
}
