#pragma once
// Inverted dropout. Derivation: docs/derivations/dropout.md.
#include <armadillo>
#include <random>

namespace gradlab::ops {

struct DropoutForward {
  arma::mat Y;
  arma::mat mask;  // same shape as X: 0 where dropped, 1 / (1 - p) where kept; backward reuses it
};

// X: any shape, p in [0, 1): the probability of dropping each element.
// mask = 1[u >= p] / (1 - p) with u uniform in [0, 1) from rng,  Y = X ⊙ mask
// (scaled at training time, so evaluation is the identity)
DropoutForward dropout_forward(const arma::mat& X, double p, std::mt19937_64& rng);

// dX = dY ⊙ mask       (the same mask as forward: the op is linear in X once it is drawn)
arma::mat dropout_backward(const arma::mat& dY, const arma::mat& mask);

}  // namespace gradlab::ops
