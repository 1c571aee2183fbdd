// A user's own op, checked by gradlab's checker: softplus, y = log(1 + exp(x)), whose derivative
// is the logistic function, dx = dy / (1 + exp(-x)). The right backward passes; a wrong one
// (the derivative taken as exp(x) / (1 + exp(x))^2, the logistic's own derivative) fails.
// Exits 0 when both verdicts are as expected.
#include "gradlab/check/checker.hpp"
#include "gradlab/check/print.hpp"

#include <armadillo>

#include <iostream>
#include <memory>

namespace {

using gradlab::check::Differentiable;

arma::mat softplus(const arma::mat& X) { return arma::log1p(arma::exp(X)); }

Differentiable softplus_op(const arma::mat& X0, bool right) {
  auto X = std::make_shared<arma::mat>(X0);
  Differentiable fn;
  fn.inputs = {{"X", X.get()}};
  fn.forward = [X] { return softplus(*X); };
  fn.backward = [X, right](const arma::mat& G) {
    const arma::mat e = arma::exp(*X);
    const arma::mat local =
        right ? arma::mat(e / (1.0 + e)) : arma::mat(e / arma::square(1.0 + e));
    return std::vector<arma::mat>{G % local};
  };
  fn.owner = X;
  return fn;
}

}  // namespace

int main() {
  arma::arma_rng::set_seed(3);
  const arma::mat X = arma::randn(4, 5);
  const auto right = gradlab::check::check_vjp(softplus_op(X, true));
  const auto wrong = gradlab::check::check_vjp(softplus_op(X, false));
  gradlab::check::print_table(std::cout, {right, wrong});
  const bool expected = right.verdict() == gradlab::check::Verdict::pass &&
                        wrong.verdict() == gradlab::check::Verdict::fail;
  std::cout << (expected ? "as expected: the right backward passes, the wrong one fails\n"
                         : "UNEXPECTED verdicts\n");
  return expected ? 0 : 1;
}
