// expect: scale 5  the 1/B of the mean over the batch is never applied (c = B, B = 5)
#include "exercise.hpp"

arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets) {
  return 2.0 * (Y - targets);
}
