// SGD's update rules on a quadratic whose trajectory is known in closed form.
//
//   f(theta) = 1/2 theta^T A theta - b^T theta,   A = diag(a) > 0,   grad f = A theta - b,
//   minimiser theta* = A^-1 b.
// A is diagonal, so every coordinate runs its own scalar recursion in the error e = theta - theta*
// (grad f = a e per coordinate):
//   plain:      e_{k+1} = (1 - lr a) e_k                       so e_k = (1 - lr a)^k e_0
//   heavy ball: [e; v]_{k+1} = [1 - lr a, -lr mu; a, mu] [e; v]_k
//   Nesterov:   [e; v]_{k+1} = [1 - lr a (1 + mu), -lr mu^2; a, mu] [e; v]_k
// (from v = mu v + g; theta -= lr v, resp. theta -= lr (g + mu v)), v_0 = 0.
#include "gradlab/optim/sgd.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

using namespace gradlab;

namespace {

struct Quadratic {
  arma::mat a;  // the diagonal of A, shaped like theta
  arma::mat b;
  arma::mat gradient(const arma::mat& theta) const { return a % theta - b; }  // A theta - b
  arma::mat minimiser() const { return b / a; }                               // A^-1 b
};

// a = 0.01 gives real roots of the heavy-ball recursion at lr 0.1, mu 0.9; 2 and 9 complex ones.
Quadratic test_quadratic() {
  return {arma::mat(arma::vec{0.01, 2.0, 9.0}), arma::mat(arma::vec{0.3, -2.0, 3.0})};
}

const arma::mat theta0 = arma::vec{1.5, -0.7, 2.0};

// Runs `steps` optimiser steps from theta0 and returns theta_0 .. theta_steps.
// set_lr(k) (if given) sets the rate used by step k+1.
template <class MakeOptimizer, class SetRate>
std::vector<arma::mat> trajectory(const Quadratic& q, int steps, MakeOptimizer make,
                                  SetRate set_lr) {
  arma::mat theta = theta0, grad(arma::size(theta0), arma::fill::zeros);
  optim::SGD sgd = make(std::vector<gradlab::Parameter>{{"theta", &theta, &grad}});
  std::vector<arma::mat> iterates{theta};
  for (int k = 0; k < steps; ++k) {
    set_lr(sgd, k);
    grad = q.gradient(theta);
    sgd.step();
    iterates.push_back(theta);
  }
  return iterates;
}

template <class MakeOptimizer>
std::vector<arma::mat> trajectory(const Quadratic& q, int steps, MakeOptimizer make) {
  return trajectory(q, steps, make, [](optim::SGD&, int) {});
}

// Iterates of the 2x2 linear recursion s_{k+1} = M s_k, s = [e; v], taken as M^k s_0.
double error_by_matrix_power(const arma::mat22& M, double e0, int k) {
  const arma::vec2 s0{e0, 0.0};
  const arma::vec s = arma::powmat(M, k) * s0;
  return s(0);
}

}  // namespace

TEST_CASE("SGD plain: e_k = (1 - lr a)^k e_0", "[optim][sgd]") {
  const Quadratic q = test_quadratic();
  const double lr = 0.1;
  const auto it = trajectory(q, 60, [&](auto p) { return optim::SGD(p, {.learning_rate = lr}); });
  const arma::mat e0 = theta0 - q.minimiser();
  for (int k = 0; k <= 60; ++k)
    for (arma::uword j = 0; j < 3; ++j) {
      const double expected = std::pow(1.0 - lr * q.a(j), k) * e0(j);
      INFO("k = " << k << ", coordinate " << j);
      CHECK(std::abs((it[k](j) - q.minimiser()(j)) - expected) <= 1e-12);
    }
  // and the first step is literally theta - lr (A theta - b)
  CHECK(arma::approx_equal(it[1], theta0 - lr * q.gradient(theta0), "absdiff", 1e-15));
}

TEST_CASE("SGD momentum: (e, v)_{k+1} = M (e, v)_k with rows (1 - lr a, -lr mu) and (a, mu) (heavy ball)",
          "[optim][sgd][momentum]") {
  const Quadratic q = test_quadratic();
  const double lr = 0.1, mu = 0.9;
  arma::mat theta = theta0, grad(3, 1, arma::fill::zeros);
  optim::SGD sgd({{"theta", &theta, &grad}}, {.learning_rate = lr, .momentum = mu});
  const arma::mat e0 = theta0 - q.minimiser();

  for (int k = 1; k <= 80; ++k) {
    grad = q.gradient(theta);
    sgd.step();
    const arma::mat velocity = sgd.export_state().buffers.at(0);
    for (arma::uword j = 0; j < 3; ++j) {
      INFO("k = " << k << ", coordinate " << j);
      const double a = q.a(j);
      const arma::mat22 M{{1.0 - lr * a, -lr * mu}, {a, mu}};
      const arma::vec s = arma::powmat(M, k) * arma::vec2{e0(j), 0.0};
      CHECK(std::abs((theta(j) - q.minimiser()(j)) - s(0)) <= 1e-12);
      CHECK(std::abs(velocity(j) - s(1)) <= 1e-12);

      // The same iterates in closed form: eliminating v gives
      // e_{k+1} = (1 + mu - lr a) e_k - mu e_{k-1} with e_{-1} = e_0 (v_0 = 0), whose solution is
      // e_k = c1 r1^k + c2 r2^k, r1,2 the roots of r^2 - (1 + mu - lr a) r + mu (complex for
      // a = 2 and 9, real for a = 0.01).
      using C = std::complex<double>;
      const double p = 1.0 + mu - lr * a;
      const C root = std::sqrt(C(p * p - 4.0 * mu));
      const C r1 = (p + root) / 2.0, r2 = (p - root) / 2.0;
      const double e1 = (1.0 - lr * a) * e0(j);
      const C c1 = (e1 - r2 * e0(j)) / (r1 - r2), c2 = e0(j) - c1;
      const C closed = c1 * std::pow(r1, k) + c2 * std::pow(r2, k);
      CHECK(std::abs((theta(j) - q.minimiser()(j)) - closed.real()) <= 1e-12);
    }
  }
}

TEST_CASE(
    "SGD momentum: with constant lr, (v = mu v + g, theta -= lr v) equals (u = mu u - lr g, "
    "theta += u)",
    "[optim][sgd][momentum]") {
  const Quadratic q = test_quadratic();
  const double lr = 0.1, mu = 0.9;
  const auto it = trajectory(
      q, 60, [&](auto p) { return optim::SGD(p, {.learning_rate = lr, .momentum = mu}); });
  arma::mat theta = theta0, u(3, 1, arma::fill::zeros);  // the classical form
  for (int k = 1; k <= 60; ++k) {
    u = mu * u - lr * q.gradient(theta);
    theta += u;
    CHECK(arma::approx_equal(it[k], theta, "absdiff", 1e-12));
  }
}

TEST_CASE("SGD momentum: when lr changes, theta -= lr (mu v + g), not theta += mu u - lr g",
          "[optim][sgd][momentum]") {
  // lr halves every 4 steps. The rule rescales the whole step at once; the classical form
  // would keep the old rate inside the velocity. The iterates must follow the first.
  const Quadratic q = test_quadratic();
  const double mu = 0.9;
  auto rate = [](int k) { return 0.1 * std::pow(0.5, k / 4); };
  const auto it = trajectory(
      q, 40, [&](auto p) { return optim::SGD(p, {.learning_rate = 0.1, .momentum = mu}); },
      [&](optim::SGD& sgd, int k) { sgd.set_learning_rate(rate(k)); });

  arma::mat theta = theta0, v(3, 1, arma::fill::zeros);      // lr outside the velocity
  arma::mat classical = theta0, u(3, 1, arma::fill::zeros);  // lr inside
  double largest_gap = 0.0;
  for (int k = 0; k < 40; ++k) {
    v = mu * v + q.gradient(theta);
    theta -= rate(k) * v;
    u = mu * u - rate(k) * q.gradient(classical);
    classical += u;
    CHECK(arma::approx_equal(it[k + 1], theta, "absdiff", 1e-12));
    largest_gap = std::max(largest_gap, arma::abs(it[k + 1] - classical).max());
  }
  CHECK(largest_gap > 1e-2);  // the two forms do part: the check above can tell them apart
}

TEST_CASE("SGD Nesterov: (e, v)_{k+1} = M (e, v)_k with rows (1 - lr a (1 + mu), -lr mu^2) and (a, mu)",
          "[optim][sgd][nesterov]") {
  const Quadratic q = test_quadratic();
  const double lr = 0.1, mu = 0.9;
  const auto it = trajectory(q, 80, [&](auto p) {
    return optim::SGD(p, {.learning_rate = lr, .momentum = mu, .nesterov = true});
  });
  const arma::mat e0 = theta0 - q.minimiser();
  for (int k = 0; k <= 80; ++k)
    for (arma::uword j = 0; j < 3; ++j) {
      INFO("k = " << k << ", coordinate " << j);
      const double a = q.a(j);
      const arma::mat22 N{{1.0 - lr * a * (1.0 + mu), -lr * mu * mu}, {a, mu}};
      CHECK(std::abs((it[k](j) - q.minimiser()(j)) - error_by_matrix_power(N, e0(j), k)) <= 1e-12);
      // and not the heavy-ball recursion (the check can fail)
      if (k >= 2) {
        const arma::mat22 M{{1.0 - lr * a, -lr * mu}, {a, mu}};
        CHECK(std::abs((it[k](j) - q.minimiser()(j)) - error_by_matrix_power(M, e0(j), k)) > 1e-6);
      }
    }
}

TEST_CASE("SGD Nesterov: iterates are Sutskever's look-ahead method in the variable theta + mu u",
          "[optim][sgd][nesterov]") {
  // u = mu u - lr grad f(theta + mu u); theta += u. The look-ahead point theta + mu u starts at
  // theta0 (u_0 = 0) and is what the rule v = mu v + g; theta -= lr (g + mu v) iterates.
  const Quadratic q = test_quadratic();
  const double lr = 0.1, mu = 0.9;
  const auto it = trajectory(q, 60, [&](auto p) {
    return optim::SGD(p, {.learning_rate = lr, .momentum = mu, .nesterov = true});
  });
  arma::mat theta = theta0, u(3, 1, arma::fill::zeros);
  for (int k = 1; k <= 60; ++k) {
    u = mu * u - lr * q.gradient(theta + mu * u);
    theta += u;
    CHECK(arma::approx_equal(it[k], theta + mu * u, "absdiff", 1e-12));
  }
}

TEST_CASE("SGD weight decay: g + wd theta is the gradient of f + (wd/2) ||theta||^2",
          "[optim][sgd][weight_decay]") {
  // Each variant with decay wd on f makes the iterates of the same variant without decay on the
  // quadratic with a + wd; for plain SGD, in closed form, e_k = (1 - lr (a + wd))^k e_0 about
  // the shifted minimiser b / (a + wd).
  const Quadratic q = test_quadratic();
  const double lr = 0.1, wd = 0.3;
  const Quadratic decayed{q.a + wd, q.b};

  for (const double mu : {0.0, 0.9}) {
    for (const bool nesterov : {false, true}) {
      if (nesterov && mu == 0.0) continue;
      INFO("momentum " << mu << ", nesterov " << nesterov);
      const auto with_decay = trajectory(q, 60, [&](auto p) {
        return optim::SGD(
            p, {.learning_rate = lr, .momentum = mu, .nesterov = nesterov, .weight_decay = wd});
      });
      const auto on_decayed = trajectory(decayed, 60, [&](auto p) {
        return optim::SGD(p, {.learning_rate = lr, .momentum = mu, .nesterov = nesterov});
      });
      for (int k = 0; k <= 60; ++k)
        CHECK(arma::approx_equal(with_decay[k], on_decayed[k], "absdiff", 1e-12));
      if (mu > 0.0) {
        // A decoupled decay (v = mu v + grad, theta -= lr v, then theta -= lr wd theta) is
        // another method; the iterates must not follow it.
        arma::mat theta = theta0, v(3, 1, arma::fill::zeros);
        for (int k = 0; k < 60; ++k) {
          const arma::mat g = q.gradient(theta);
          v = mu * v + g;
          theta -= lr * (nesterov ? arma::mat(g + mu * v) : v);
          theta -= lr * wd * theta;
        }
        CHECK(arma::abs(with_decay[60] - theta).max() > 1e-4);
      }
    }
  }
  const auto plain = trajectory(
      q, 60, [&](auto p) { return optim::SGD(p, {.learning_rate = lr, .weight_decay = wd}); });
  const arma::mat e0 = theta0 - decayed.minimiser();
  for (int k = 0; k <= 60; ++k)
    for (arma::uword j = 0; j < 3; ++j)
      CHECK(std::abs((plain[k](j) - decayed.minimiser()(j)) -
                     std::pow(1.0 - lr * decayed.a(j), k) * e0(j)) <= 1e-12);
}

TEST_CASE("SGD: plain, momentum and Nesterov converge to A^-1 b", "[optim][sgd]") {
  // The slow coordinate (a = 0.01) is left out: at lr 0.1 it needs ~10^4 plain steps.
  const Quadratic q{arma::mat(arma::vec{0.5, 2.0, 9.0}), arma::mat(arma::vec{0.3, -2.0, 3.0})};
  const double lr = 0.1;
  const std::vector<optim::SGDOptions> variants{
      {.learning_rate = lr},
      {.learning_rate = lr, .momentum = 0.9},
      {.learning_rate = lr, .momentum = 0.9, .nesterov = true}};
  for (const optim::SGDOptions& o : variants) {
    INFO("momentum " << o.momentum << ", nesterov " << o.nesterov);
    const auto it = trajectory(q, 1000, [&](auto p) { return optim::SGD(p, o); });
    CHECK(arma::abs(it.front() - q.minimiser()).max() > 0.5);
    CHECK(arma::abs(it.back() - q.minimiser()).max() <= 1e-10);
  }
  // with weight decay, to the minimiser of f + (wd/2) ||theta||^2: (A + wd I)^-1 b
  const auto decayed = trajectory(q, 1000, [&](auto p) {
    return optim::SGD(p, {.learning_rate = lr, .momentum = 0.9, .weight_decay = 0.3});
  });
  CHECK(arma::abs(decayed.back() - q.b / (q.a + 0.3)).max() <= 1e-10);
}
