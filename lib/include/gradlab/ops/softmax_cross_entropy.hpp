#pragma once
// Softmax and cross-entropy fused, on logits: the stable pair every classifier here uses.
// Derivation: docs/derivations/softmax_cross_entropy.md.
#include <armadillo>

namespace gradlab::ops {

struct SoftmaxCrossEntropy {
  double loss;      // mean over the batch
  arma::mat probs;  // C x B, softmax(logits): what backward needs
};

// logits: C x B, labels: B integer class indices in [0, C).
// L = (1/B) sum_b [ log sum_k exp(logits_kb) - logits_{labels_b, b} ]
// (log-sum-exp after subtracting each column's maximum: finite for logits of +-1000)
SoftmaxCrossEntropy softmax_cross_entropy_forward(const arma::mat& logits,
                                                  const arma::uvec& labels);

// dlogits = (probs - onehot(labels)) / B      (the batch mean's 1/B, applied here once)
arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels);

}  // namespace gradlab::ops
