// expect: unknown  the softmax cross-entropy gradient (exp(logprobs) - onehot) / B, which belongs to the loss on logits
#include "exercise.hpp"

arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels) {
  arma::mat d = arma::exp(logprobs);
  for (arma::uword b = 0; b < labels.n_elem; ++b) d(labels(b), b) -= 1.0;
  return d / static_cast<double>(logprobs.n_cols);
}
