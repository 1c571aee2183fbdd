// expect: unknown  tanh' written as 1 - Y, without the square
#include "exercise.hpp"

arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y) {
  return dY % (1.0 - Y);
}
