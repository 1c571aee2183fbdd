// expect: scale 0.25  multiplies by (1 - p) instead of dividing: c = (1 - p)^2 = 0.25 (p = 0.5)
#include "exercise.hpp"

arma::mat dropout_backward(const arma::mat& dY, const arma::mat& keep, double p) {
  return dY % keep * (1.0 - p);
}
