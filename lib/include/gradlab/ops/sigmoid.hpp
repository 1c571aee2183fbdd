#pragma once
// Logistic sigmoid, elementwise. Derivation: docs/derivations/sigmoid.md.
#include <armadillo>

namespace gradlab::ops {

// X: any shape.  Y = 1 / (1 + exp(-X)), evaluated without overflow for any |X|:
// exp(X) / (1 + exp(X)) where X < 0, so exp never sees a large positive argument.
arma::mat sigmoid_forward(const arma::mat& X);

// Forward was Y = sigma(X), and sigma' = sigma (1 - sigma), so:
// dX = dY ⊙ Y ⊙ (1 - Y)
arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y);

}  // namespace gradlab::ops
