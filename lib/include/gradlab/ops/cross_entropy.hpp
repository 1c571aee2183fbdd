#pragma once
// Cross-entropy on probabilities: the textbook pair, kept because the reports derive it.
// Derivation: docs/derivations/cross_entropy.md. Prefer softmax_cross_entropy on logits.
#include <armadillo>

namespace gradlab::ops {

inline constexpr double cross_entropy_default_eps = 1e-10;

// probs: C x B, targets: C x B one-hot (or any distribution per column).
// L = -(1/B) sum_b sum_c targets_cb log(probs_cb + eps)       (mean over the batch)
double cross_entropy_forward(const arma::mat& probs, const arma::mat& targets,
                             double eps = cross_entropy_default_eps);

// dprobs = -targets / (probs + eps) / B
// Unstable by construction: where probs underflows to 0 the gradient reaches -1 / (eps B).
arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets,
                                 double eps = cross_entropy_default_eps);

}  // namespace gradlab::ops
