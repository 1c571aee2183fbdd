// A correct answer: dX = W^T dY, dW = dY X^T, db = the row sums of dY.
#include "exercise.hpp"

exercise::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  return {W.t() * dY, dY * X.t(), arma::sum(dY, 1)};
}
