// expect: sign  written (onehot - probs) / B instead of (probs - onehot) / B
#include "exercise.hpp"

arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels) {
  arma::mat dZ = -probs;
  for (arma::uword b = 0; b < labels.n_elem; ++b) dZ(labels(b), b) += 1.0;
  return dZ / static_cast<double>(probs.n_cols);
}
