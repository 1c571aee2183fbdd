#pragma once
// Leaky ReLU, elementwise. Derivation: docs/derivations/leaky_relu.md.
#include <armadillo>

namespace gradlab::ops {

inline constexpr double leaky_relu_default_slope = 0.01;

// X: any shape.  Y = X where X > 0, slope * X elsewhere
arma::mat leaky_relu_forward(const arma::mat& X, double slope = leaky_relu_default_slope);

// dX = dY ⊙ (1 where X > 0, slope elsewhere; slope at X = 0, matching ReLU's 0 at 0)
arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X,
                              double slope = leaky_relu_default_slope);

}  // namespace gradlab::ops
