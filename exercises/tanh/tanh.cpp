// Exercise tanh: the backward pass of tanh.
//
// The forward pass computed, element by element,
//     Y = tanh(X)
// and kept its output Y (not X). Write tanh_backward: given the upstream gradient dY = dL/dY
// and the forward's output Y, return dX = dL/dX.
//
// Shapes (columns are samples, B of them):
//     dY: D x B    the gradient of the loss with respect to Y
//     Y:  D x B    the forward's output, tanh(X)
//     returns dX: D x B
//
// In the reports: report 000, Sec. III-B derives tanh's derivative with the quotient rule;
// report 004, Q17 uses it in a network.
//
// Run: ./workbench exercise tanh   (hints: ./workbench exercise tanh --hint 1)
#include "exercise.hpp"

arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y) {
  // Your code here.
  exercise::not_implemented_yet("tanh_backward");
}
