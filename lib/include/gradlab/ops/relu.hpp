#pragma once
// ReLU, elementwise. Derivation: docs/derivations/relu.md. Checked in checks/check_ops.cpp.
#include <armadillo>

namespace gradlab::ops {

// X: any shape.  Y = max(X, 0)
arma::mat relu_forward(const arma::mat& X);

// Forward was Y = max(X, 0), so dY/dX = 1 where X > 0 and 0 elsewhere
// (0 at X = 0 exactly, as in the reports; any value in [0, 1] is a valid subgradient there).
// dX = dY ⊙ 1[X > 0]
arma::mat relu_backward(const arma::mat& dY, const arma::mat& X);

}  // namespace gradlab::ops
