#pragma once
// Negative log-likelihood on log-probabilities (log_softmax's output).
// Derivation: docs/derivations/nll.md.
#include <armadillo>

namespace gradlab::ops {

// logprobs: C x B, labels: B integer class indices in [0, C).
// L = -(1/B) sum_b logprobs_{labels_b, b}
double nll_forward(const arma::mat& logprobs, const arma::uvec& labels);

// dlogprobs = -onehot(labels) / B
arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels);

}  // namespace gradlab::ops
