// Exercise softmax: the backward pass of softmax (the vector-Jacobian product).
//
// The forward pass computed, for each column (sample) b on its own,
//     Y_cb = exp(Z_cb) / sum_k exp(Z_kb)
// and kept its output Y, the probabilities. Write softmax_backward: given the upstream gradient
// dY = dL/dY, return dZ = dL/dZ, the gradient with respect to the logits.
//
// Shapes (columns are samples, B of them):
//     dY: C x B    the gradient of the loss with respect to the probabilities Y
//     Y:  C x B    the forward's output; each column sums to 1
//     returns dZ: C x B
//
// Each column has its own C x C Jacobian. You may form it, but you need not: the grader only
// looks at dZ.
//
// In the reports: report 003, eq. (4) (the Jacobian of softmax for one sample) and eq. (10)
// (the gradient pushed through it).
//
// Run: ./workbench exercise softmax   (hints: ./workbench exercise softmax --hint 1)
#include "exercise.hpp"

arma::mat softmax_backward(const arma::mat& dY, const arma::mat& Y) {
  // Your code here.
  exercise::not_implemented_yet("softmax_backward");
}
