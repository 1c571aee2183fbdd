#pragma once
// Mean squared error. Derivation: docs/derivations/mse.md.
#include <armadillo>

namespace gradlab::ops {

// Y, targets: C x B (targets one-hot for classification, as report 001 uses it).
// Reduction: summed over the C outputs, mean over the B samples:
// L = (1/B) sum_b || Y_b - targets_b ||^2       (PyTorch's reduction='sum' divided by B)
double mse_forward(const arma::mat& Y, const arma::mat& targets);

// dY = 2 (Y - targets) / B
arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets);

}  // namespace gradlab::ops
