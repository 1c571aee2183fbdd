// expect: unknown  tanh's derivative copied: 1 - Y^2 instead of Y (1 - Y)
#include "exercise.hpp"

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  return dY % (1.0 - Y % Y);
}
