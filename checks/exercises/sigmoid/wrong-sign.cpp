// expect: sign  sigma' written as sigma (sigma - 1) instead of sigma (1 - sigma)
#include "exercise.hpp"

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  return dY % Y % (Y - 1.0);
}
