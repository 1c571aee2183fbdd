// expect: scale 0.5  the 1/(1 - p) is missing: c = 1 - p = 0.5 (p = 0.5)
#include "exercise.hpp"

arma::mat dropout_backward(const arma::mat& dY, const arma::mat& keep, double p) {
  return dY % keep;
}
