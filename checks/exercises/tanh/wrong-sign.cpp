// expect: sign  tanh' written as Y^2 - 1 instead of 1 - Y^2
#include "exercise.hpp"

arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y) {
  return dY % (Y % Y - 1.0);
}
