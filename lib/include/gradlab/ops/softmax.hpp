#pragma once
// Softmax over each column. Derivation: docs/derivations/softmax.md.
#include <armadillo>

namespace gradlab::ops {

// logits: C x B.  probs_cb = exp(logits_cb) / sum_k exp(logits_kb), computed after subtracting
// each column's maximum (the same value, without overflow).
arma::mat softmax_forward(const arma::mat& logits);

// One sample: the C x C Jacobian d probs / d logits = diag(s) - s s^T, for s = softmax(z).
arma::mat softmax_jacobian(const arma::vec& s);

// A batch: the vector-Jacobian product of each column with its own Jacobian, never formed:
// dlogits_b = (diag(s_b) - s_b s_b^T) dprobs_b = s_b ⊙ (dprobs_b - <s_b, dprobs_b>)
arma::mat softmax_backward(const arma::mat& dprobs, const arma::mat& probs);

}  // namespace gradlab::ops
