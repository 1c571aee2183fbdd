#pragma once
// Affine map (the linear layer's op). Derivation: docs/derivations/affine.md.
#include <armadillo>

namespace gradlab::ops {

// W: M x D, b: M, X: D x B (columns are samples).  Y = W X + b   (b added to every column)
arma::mat affine_forward(const arma::mat& W, const arma::vec& b, const arma::mat& X);

struct AffineGrads {
  arma::mat dX;  // D x B
  arma::mat dW;  // M x D
  arma::vec db;  // M
};

// dY: M x B.  Y_mb = sum_d W_md X_db + b_m, so
// dW = dY X^T,   db = sum of dY over the batch (row sums),   dX = W^T dY
AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X);

}  // namespace gradlab::ops
