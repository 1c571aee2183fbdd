// expect: contract  draws a new random mask in backward instead of using keep: two calls give different gradients
#include "exercise.hpp"

arma::mat dropout_backward(const arma::mat& dY, const arma::mat& keep, double p) {
  const arma::mat fresh = arma::conv_to<arma::mat>::from(arma::randu(arma::size(dY)) >= p);
  return dY % fresh / (1.0 - p);
}
