// expect: scale 5  the 1/B of the mean over the batch is never applied (c = B, B = 5)
#include "exercise.hpp"

arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels) {
  arma::mat d(arma::size(logprobs), arma::fill::zeros);
  for (arma::uword b = 0; b < labels.n_elem; ++b) d(labels(b), b) = -1.0;
  return d;
}
