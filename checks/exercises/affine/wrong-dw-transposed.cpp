// expect: transpose  dW computed as X dY^T, the transpose of dY X^T; dX and db are right
#include "exercise.hpp"

exercise::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  return {W.t() * dY, X * dY.t(), arma::sum(dY, 1)};
}
