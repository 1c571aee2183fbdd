// expect: scale 0.5  the factor 2 from the square is missing
#include "exercise.hpp"

arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets) {
  return (Y - targets) / static_cast<double>(Y.n_cols);
}
