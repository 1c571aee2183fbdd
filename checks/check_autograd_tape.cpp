// The tape itself: the order backward walks it, accumulation, zero_grad, and what report 000's
// recursive order gets wrong when one tensor feeds two ops.
#include <catch2/catch.hpp>

#include "gradlab/autograd/composite.hpp"
#include "gradlab/autograd/tensor.hpp"
#include "gradlab/random.hpp"

#include <cmath>

namespace {

using namespace gradlab;
using namespace gradlab::autograd;

arma::mat scalar(double value) { return arma::mat(1, 1, arma::fill::value(value)); }

}  // namespace

TEST_CASE("autograd: a leaf's gradient is dL/dleaf, and leaves accumulate until zero_grad",
          "[autograd][tape]") {
  Parameter w("w", scalar(2.0));
  Tensor L = multiply(w, w);  // L = w^2, dL/dw = 2w = 4
  L.backward();
  CHECK(w.grad()(0, 0) == Approx(4.0));
  L.backward();  // a second backward adds: leaves accumulate, as in report 000
  CHECK(w.grad()(0, 0) == Approx(8.0));
  w.zero_grad();
  CHECK(w.grad()(0, 0) == 0.0);
  CHECK(w.grad().n_rows == 1);
}

TEST_CASE("autograd: intermediate gradients are not doubled by a second backward",
          "[autograd][tape]") {
  Parameter w("w", scalar(0.5));
  Tensor h = tanh(w);
  Tensor L = multiply(h, h);
  L.backward();
  const double first = h.grad()(0, 0);
  w.zero_grad();
  L.backward();
  CHECK(h.grad()(0, 0) == Approx(first));
  CHECK(w.grad()(0, 0) == Approx(2.0 * std::tanh(0.5) * (1.0 - std::pow(std::tanh(0.5), 2))));
}

TEST_CASE("autograd: backward visits each node once, every user before what it uses",
          "[autograd][tape]") {
  Parameter x("x", scalar(0.3));
  Tensor h = tanh(x);
  Tensor a = exp(h), b = multiply(h, h);
  Tensor L = add(a, b);
  const auto order = L.topological_order();
  REQUIRE(order.size() == 5);  // L, then a and b (either order), then h, then x
  CHECK(order.front() == L.node());
  CHECK(order[3] == h.node());
  CHECK(order.back() == x.node());
}

TEST_CASE("autograd: recursive backward (report 000) double-counts a tensor that feeds two ops",
          "[autograd][tape]") {
  // x -> h = tanh(x) -> { u = exp(h), v = h^2 } -> L = sum(u + v)
  // dL/dh = exp(h) + 2h, complete only after both u and v have passed their share back.
  const double x0 = 0.7;
  const double h0 = std::tanh(x0);
  const double dh = std::exp(h0) + 2.0 * h0;   // both paths
  const double exact = dh * (1.0 - h0 * h0);   // dL/dx
  auto build = [&](Parameter& x) {
    Tensor h = tanh(x);
    return sum(add(exp(h), pow(h, 2.0)));
  };

  Parameter x_sorted("x", scalar(x0));
  Tensor L_sorted = build(x_sorted);
  L_sorted.backward();
  CHECK(x_sorted.grad()(0, 0) == Approx(exact).epsilon(1e-14));

  // The recursive walk reaches h through u first and passes exp(h) (1 - h^2) on to x at once;
  // through v, h is reached again and passes its now complete gradient, exp(h) + 2h, again.
  Parameter x_recursive("x", scalar(x0));
  Tensor L_recursive = build(x_recursive);
  backward_recursive(L_recursive);
  const double recursive = x_recursive.grad()(0, 0);
  const double first_path_twice = (2.0 * std::exp(h0) + 2.0 * h0) * (1.0 - h0 * h0);
  CHECK(recursive == Approx(first_path_twice).epsilon(1e-14));
  CHECK(std::abs(recursive - exact) > 0.1 * std::abs(exact));
}

TEST_CASE("autograd: recursive backward is right on a chain (no tensor used twice)",
          "[autograd][tape]") {
  Rng rng(3);
  Parameter W("W", random_normal(3, 4, rng));
  const Tensor X(random_normal(4, 5, rng));
  auto build = [&] { return mean(tanh(matmul(W, X))); };
  Tensor L1 = build();
  L1.backward();
  const arma::mat sorted = W.grad();
  W.zero_grad();
  Tensor L2 = build();
  backward_recursive(L2);
  CHECK(arma::approx_equal(W.grad(), sorted, "reldiff", 1e-14));
}

TEST_CASE("autograd: batch norm from primitives needs the sorted order", "[autograd][tape]") {
  // centered = X - mean feeds both the variance and x_hat: the recursive walk gets dX wrong.
  Rng rng(5);
  Parameter X("X", random_normal(3, 6, rng));
  const Tensor gamma(arma::mat(3, 1, arma::fill::ones)), beta(arma::mat(3, 1, arma::fill::zeros));
  const Tensor G(random_normal(3, 6, rng));
  auto build = [&] { return sum(multiply(batchnorm(X, gamma, beta), G)); };
  Tensor L1 = build();
  L1.backward();
  const arma::mat sorted = X.grad();
  X.zero_grad();
  Tensor L2 = build();
  backward_recursive(L2);
  CHECK_FALSE(arma::approx_equal(X.grad(), sorted, "reldiff", 1e-3));
}

TEST_CASE("autograd: a constant keeps no graph and cannot be differentiated",
          "[autograd][tape]") {
  const Tensor a(arma::mat{{1.0, 2.0}}), b(arma::mat{{3.0, 4.0}});
  Tensor c = add(a, b);
  CHECK_FALSE(c.requires_grad());
  CHECK(c.node()->inputs.empty());
  CHECK_THROWS_AS(c.backward(arma::mat{{1.0, 1.0}}), std::invalid_argument);
}

TEST_CASE("autograd: wrong shapes throw naming the op", "[autograd][tape]") {
  const Tensor A(arma::mat(3, 4, arma::fill::ones)), B(arma::mat(3, 4, arma::fill::ones));
  CHECK_THROWS_WITH(matmul(A, B), Catch::Contains("autograd::matmul") && Catch::Contains("3x4"));
  CHECK_THROWS_WITH(add(A, Tensor(arma::mat(4, 1))), Catch::Contains("autograd::add"));
  Parameter p("p", arma::mat(2, 2, arma::fill::ones));
  Tensor Y = tanh(p);
  CHECK_THROWS_AS(Y.backward(), std::invalid_argument);  // 2x2: needs a seed
  CHECK_THROWS_AS(Y.backward(arma::mat(3, 2)), std::invalid_argument);
}

TEST_CASE("autograd: broadcast operands collect the gradient of every use", "[autograd][tape]") {
  Rng rng(7);
  Parameter A("A", random_normal(3, 4, rng));
  Parameter col("col", random_normal(3, 1, rng)), row("row", random_normal(1, 4, rng)),
      s("s", scalar(1.5));
  const arma::mat G = random_normal(3, 4, rng);
  Tensor Y = add(add(multiply(A, col), row), s);  // Y = A ⊙ col + row + s
  Y.backward(G);
  arma::mat expected_col = arma::sum(G % A.data(), 1);
  CHECK(arma::approx_equal(col.grad(), expected_col, "reldiff", 1e-14));
  CHECK(arma::approx_equal(row.grad(), arma::mat(arma::sum(G, 0)), "reldiff", 1e-14));
  CHECK(s.grad()(0, 0) == Approx(arma::accu(G)));
}
