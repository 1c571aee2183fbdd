// expect: sign  the minus sign of the loss is lost: T / P / B
#include "exercise.hpp"

arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets) {
  return targets / probs / static_cast<double>(probs.n_cols);
}
