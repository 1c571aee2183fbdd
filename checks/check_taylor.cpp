// The Taylor test (check/taylor.hpp): the first-order remainder of a correct gradient falls as
// h^2 (fitted slope 2), of a wrong one as h (slope 1); a function linear along the direction
// leaves only rounding, which passes; every op of the catalogue passes at its standard shapes.
#include "gradlab/check/op_cases.hpp"
#include "gradlab/check/taylor.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/sigmoid.hpp"
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

check::Differentiable tanh_layer(bool correct) {
  auto d = std::make_shared<Data>();
  Rng rng(3);
  d->A = random_normal(4, 5, rng);
  return {{{"X", &d->A}},
          [d] { return ops::tanh_forward(d->A); },
          [d, correct](const arma::mat& G) {
            const arma::mat Y = ops::tanh_forward(d->A);
            return Mats{correct ? ops::tanh_backward(G, Y) : arma::mat(G % (1.0 - Y))};  // bug: 1 - Y
          },
          d};
}

check::Differentiable sigmoid_layer(bool correct) {
  auto d = std::make_shared<Data>();
  Rng rng(7);
  d->A = random_normal(3, 6, rng);
  return {{{"X", &d->A}},
          [d] { return ops::sigmoid_forward(d->A); },
          [d, correct](const arma::mat& G) {
            const arma::mat Y = ops::sigmoid_forward(d->A);
            return Mats{correct ? ops::sigmoid_backward(G, Y) : arma::mat(G % Y)};  // bug: no (1 - Y)
          },
          d};
}

check::Differentiable batchnorm_layer(bool correct) {
  auto d = std::make_shared<Data>();
  Rng rng(5);
  d->A = random_normal(3, 6, rng);
  d->B = 1.0 + 0.3 * random_normal(3, 1, rng);
  d->C = random_normal(3, 1, rng);
  return {{{"X", &d->A}, {"gamma", &d->B}, {"beta", &d->C}},
          [d] { return ops::batchnorm_forward(d->A, d->B, d->C).Y; },
          [d, correct](const arma::mat& G) {
            const ops::BatchNormForward f = ops::batchnorm_forward(d->A, d->B, d->C);
            ops::BatchNormGrads g = ops::batchnorm_backward(G, d->B, f.cache);
            if (!correct) {  // bug: the evaluation-mode dX, without the mean and variance terms
              g.dX = G;
              g.dX.each_col() %= d->B % f.cache.inv_std;
            }
            return Mats{g.dX, g.dgamma, g.dbeta};
          },
          d};
}

check::Differentiable softmax_ce(bool correct) {
  auto d = std::make_shared<Data>();
  Rng rng(6);
  d->A = random_normal(5, 4, rng);
  d->labels = {0, 3, 2, 3};
  return {{{"logits", &d->A}},
          [d] { return arma::mat{ops::softmax_cross_entropy_forward(d->A, d->labels).loss}; },
          [d, correct](const arma::mat& G) {
            const auto f = ops::softmax_cross_entropy_forward(d->A, d->labels);
            arma::mat g = ops::softmax_cross_entropy_backward(f.probs, d->labels);
            if (!correct) g *= -1.0;  // bug: the wrong sign
            return Mats{G(0, 0) * g};
          },
          d};
}

}  // namespace

TEST_CASE("taylor: fit_loglog_slope recovers the power of a power law", "[checker][taylor]") {
  const std::vector<double> h{1e-1, 1e-2, 1e-3, 1e-4};
  std::vector<double> square, line;
  for (double x : h) {
    square.push_back(3.0 * x * x);
    line.push_back(0.5 * x);
  }
  CHECK(check::fit_loglog_slope(h, square) == Approx(2.0).margin(1e-12));
  CHECK(check::fit_loglog_slope(h, line) == Approx(1.0).margin(1e-12));
  CHECK_THROWS_AS(check::fit_loglog_slope({1.0}, {1.0}), std::invalid_argument);
}

TEST_CASE("taylor: the remainder of a correct gradient falls as h^2 (slope 2)", "[checker][taylor]") {
  for (auto make : {tanh_layer, sigmoid_layer, affine_with, batchnorm_layer, softmax_ce}) {
    const check::TaylorResult r = check::taylor_test(make(true));
    INFO(r.note);
    CHECK(r.verdict == Verdict::pass);
    CHECK_FALSE(r.linear);
    CHECK(r.fitted >= 3);
    CHECK(std::abs(r.slope - 2.0) <= 0.2);
  }
}

TEST_CASE("taylor: the remainder of a wrong gradient falls as h (slope 1)", "[checker][taylor]") {
  for (auto make : {tanh_layer, sigmoid_layer, affine_with, batchnorm_layer, softmax_ce}) {
    const check::TaylorResult r = check::taylor_test(make(false));
    INFO(r.note);
    CHECK(r.verdict == Verdict::fail);
    CHECK(std::abs(r.slope - 1.0) <= 0.2);
  }
}

TEST_CASE("taylor: a function linear along v passes on rounding alone", "[checker][taylor]") {
  // X -> W X with W fixed: linear in X, so the remainder is rounding noise at every step.
  auto d = std::make_shared<Data>();
  Rng rng(8);
  d->A = random_normal(3, 4, rng);
  d->C = random_normal(4, 5, rng);
  check::Differentiable fn{{{"X", &d->C}},
                           [d] { return arma::mat(d->A * d->C); },
                           [d](const arma::mat& G) { return Mats{d->A.t() * G}; },
                           d};
  const arma::mat X0 = d->C;
  const check::TaylorResult r = check::taylor_test(fn);
  CHECK(r.verdict == Verdict::pass);
  CHECK(r.linear);
  CHECK(arma::approx_equal(d->C, X0, "absdiff", 0.0));  // inputs restored exactly
}

TEST_CASE("taylor: every op of the catalogue passes at its standard shapes", "[checker][taylor]") {
  for (const std::string& op : check::op_names()) {
    for (check::OpCase& c : check::op_cases(op)) {
      const check::TaylorResult r = check::taylor_test(c.fn);
      INFO(op << " [" << c.kind << "]: " << r.note);
      CHECK(r.verdict == Verdict::pass);
    }
  }
}

TEST_CASE("taylor: bad options and functions without inputs are errors", "[checker][taylor][errors]") {
  check::TaylorOptions o;
  o.h_min = 1.0;
  CHECK_THROWS_AS(check::taylor_test(tanh_layer(true), o), std::invalid_argument);
  CHECK_THROWS_AS(check::taylor_test(check::Differentiable{}), std::invalid_argument);
}
