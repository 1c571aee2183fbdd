// expect: sign  the error written T - Y instead of Y - T
#include "exercise.hpp"

arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets) {
  return 2.0 * (targets - Y) / static_cast<double>(Y.n_cols);
}
