// Exercise softmax_cross_entropy: the gradient of softmax and cross-entropy taken together.
//
// The forward pass computed, from logits Z (C x B) and class labels y (one per sample),
//     probs = softmax(Z)                                  (each column on its own)
//     L = -(1/B) sum_b log probs_{y_b, b}                 (the mean over the batch)
// Write softmax_cross_entropy_backward: return dZ = dL/dZ, the gradient with respect to the
// logits, of this MEAN loss.
//
// Shapes (columns are samples, B of them):
//     probs:  C x B    softmax(Z), the forward's output; each column sums to 1
//     labels: B        the class index of each sample, in [0, C)
//     returns dZ: C x B
//
// In the reports: report 004, Q14 (the loss written with the logits) and Q15 (its gradient
// for one sample); report 003, Question 1.1 c) for the mean over the batch.
//
// Run: ./workbench exercise softmax_cross_entropy   (hints: ./workbench exercise softmax_cross_entropy --hint 1)
#include "exercise.hpp"

arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels) {
  // Your code here.
  exercise::not_implemented_yet("softmax_cross_entropy_backward");
}
