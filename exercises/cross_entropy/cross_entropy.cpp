// Exercise cross_entropy: the gradient of cross-entropy with respect to probabilities.
//
// The forward pass computed, from probabilities P and targets T (one distribution per column,
// usually one-hot),
//     L = -(1/B) sum_b sum_c T_cb log P_cb             (the mean over the batch)
// Write cross_entropy_backward: return dP = dL/dP, the gradient of this MEAN loss with respect
// to the probabilities (not the logits: softmax is a separate step here).
//
// Shapes (columns are samples, B of them):
//     probs:   C x B    P, for example softmax's output; the grader keeps every entry away from 0
//     targets: C x B    T, each column one-hot (or any distribution)
//     returns dP: C x B
//
// In the reports: report 003, eqs. (1)-(2) (one sample) and Question 1.1 c) (the batch).
//
// Run: ./workbench exercise cross_entropy   (hints: ./workbench exercise cross_entropy --hint 1)
#include "exercise.hpp"

arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets) {
  // Your code here.
  exercise::not_implemented_yet("cross_entropy_backward");
}
