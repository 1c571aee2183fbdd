// expect: mask  the slope is dropped: the derivative is 0 instead of slope where X <= 0 (plain ReLU)
#include "exercise.hpp"

arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X, double slope) {
  return dY % arma::conv_to<arma::mat>::from(X > 0.0);
}
