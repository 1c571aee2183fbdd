// Exercise relu: the backward pass of ReLU.
//
// The forward pass computed, element by element,
//     Y = max(X, 0)
// Write relu_backward: given the upstream gradient dY = dL/dY, return dX = dL/dX.
//
// Shapes (columns are samples, B of them):
//     dY: D x B    the gradient of the loss with respect to Y
//     X:  D x B    the forward's input
//     returns dX: D x B
//
// In the reports: report 000, Sec. III-A (the derivative of ReLU) and report 003, eq. (5)
// (its Jacobian, a diagonal matrix). Where X is exactly 0, take the derivative to be 0, as the
// reports do.
//
// Run: ./workbench exercise relu   (hints: ./workbench exercise relu --hint 1)
#include "exercise.hpp"

arma::mat relu_backward(const arma::mat& dY, const arma::mat& X) {
  // Your code here.
  exercise::not_implemented_yet("relu_backward");
}
