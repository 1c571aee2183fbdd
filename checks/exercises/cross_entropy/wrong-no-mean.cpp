// expect: scale 5  the 1/B of the mean over the batch is never applied (c = B, B = 5)
#include "exercise.hpp"

arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets) {
  return -targets / probs;
}
