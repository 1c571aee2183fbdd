#pragma once
// Log-softmax over each column. Derivation: docs/derivations/log_softmax.md.
#include <armadillo>

namespace gradlab::ops {

// logits: C x B.  logprobs_cb = logits_cb - log sum_k exp(logits_kb)   (stable log-sum-exp)
arma::mat log_softmax_forward(const arma::mat& logits);

// d logprobs_cb / d logits_kb = 1[c = k] - softmax_kb, so
// dlogits = dlogprobs - softmax ⊙ (column sums of dlogprobs),  softmax = exp(logprobs)
arma::mat log_softmax_backward(const arma::mat& dlogprobs, const arma::mat& logprobs);

}  // namespace gradlab::ops
