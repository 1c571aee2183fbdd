// expect: unknown  the derivative is taken at the wrong variable: 1 - tanh(Y)^2, as if Y were the input X
#include "exercise.hpp"

arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y) {
  return dY % (1.0 - arma::square(arma::tanh(Y)));
}
