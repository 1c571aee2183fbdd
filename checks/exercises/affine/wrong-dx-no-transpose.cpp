// expect: transpose  dX uses W where W^T belongs (dX = W dY); dW and db are right
#include "exercise.hpp"

exercise::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  return {W * dY, dY * X.t(), arma::sum(dY, 1)};
}
