#pragma once
// tanh, elementwise. Derivation: docs/derivations/tanh.md.
#include <armadillo>

namespace gradlab::ops {

// X: any shape.  Y = tanh(X)
arma::mat tanh_forward(const arma::mat& X);

// Forward was Y = tanh(X), and tanh' = 1 - tanh^2, so backward needs only Y:
// dX = dY ⊙ (1 - Y ⊙ Y)       (computed as (1 - Y) ⊙ (1 + Y), which keeps its digits near |Y| = 1)
arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y);

}  // namespace gradlab::ops
