// expect: unknown  multiplies dY by ReLU(X) itself instead of by its derivative
#include "exercise.hpp"

arma::mat relu_backward(const arma::mat& dY, const arma::mat& X) {
  return dY % arma::clamp(X, 0.0, arma::datum::inf);
}
