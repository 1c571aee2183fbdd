#pragma once
// L2 penalty on a weight matrix (weight decay as a loss term). Derivation: docs/derivations/l2_penalty.md.
#include <armadillo>

namespace gradlab::ops {

// W: any shape, lambda >= 0.  L = (lambda / 2) ||W||_F^2
double l2_penalty_forward(const arma::mat& W, double lambda);

// dW = lambda W        (the 1/2 makes the gradient SGD's weight-decay term)
arma::mat l2_penalty_backward(const arma::mat& W, double lambda);

}  // namespace gradlab::ops
