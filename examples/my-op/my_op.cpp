// A user's own op checked by gradlab's checker: GELU, y = x Phi(x), where Phi is the standard
// normal distribution function and phi its density. Its derivative takes the product rule,
//   dy/dx = Phi(x) + x phi(x),
// so the right backward is dX = G (Phi(X) + X phi(X)). The wrong one forgets the second term,
// dX = G Phi(X), as if Phi(x) were a constant.
//   my-op            checks the right backward: exit 0 when it passes
//   my-op --wrong    checks the wrong one: exit 1 when it fails (as it must)
#include "gradlab/check/function.hpp"
#include "gradlab/check/print.hpp"

#include <armadillo>

#include <cmath>
#include <iostream>
#include <string>

namespace check = gradlab::check;

namespace {

arma::mat Phi(const arma::mat& X) { return 0.5 * (1.0 + arma::erf(X / std::sqrt(2.0))); }
arma::mat phi(const arma::mat& X) {
  return arma::exp(-0.5 * arma::square(X)) / std::sqrt(2.0 * arma::datum::pi);
}

// Y = X Phi(X), elementwise
arma::mat gelu(const check::Inputs& in) { return in["X"] % Phi(in["X"]); }

// dX = G (Phi(X) + X phi(X))
check::Gradients gelu_backward(const arma::mat& G, const check::Inputs& in) {
  const arma::mat& X = in["X"];
  return {G % (Phi(X) + X % phi(X))};
}

// The bug: dX = G Phi(X), the product rule forgotten
check::Gradients gelu_backward_wrong(const arma::mat& G, const check::Inputs& in) {
  return {G % Phi(in["X"])};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc > 1 ? argv[1] : "";
  if (argc > 2 || (argc == 2 && arg != "--wrong")) {
    std::cerr << "my-op: unknown argument '" << (argc > 2 ? argv[2] : argv[1])
              << "' (usage: my-op [--wrong])\n";
    return 2;
  }
  const bool wrong = arg == "--wrong";

  // 24 points from -3 to 3, as a 4x6 batch
  const arma::mat X = arma::reshape(arma::linspace(-3.0, 3.0, 24), 4, 6);
  const check::Differentiable fn =
      check::function({{"X", X}}, gelu, wrong ? gelu_backward_wrong : gelu_backward);
  check::CheckResult r = check::check_vjp(fn);
  r.label = wrong ? "gelu, wrong backward" : "gelu";
  r.shape = check::shapes_of(fn);
  check::print_table(std::cout, {r});
  return r.verdict() == check::Verdict::fail ? 1 : 0;
}
