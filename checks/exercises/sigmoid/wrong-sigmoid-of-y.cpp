// expect: unknown  the derivative is taken at the wrong variable: sigma(Y) (1 - sigma(Y)), as if Y were the input X
#include "exercise.hpp"

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  const arma::mat s = 1.0 / (1.0 + arma::exp(-Y));
  return dY % s % (1.0 - s);
}
