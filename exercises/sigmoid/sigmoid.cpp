// Exercise sigmoid: the backward pass of the logistic sigmoid.
//
// The forward pass computed, element by element,
//     Y = sigma(X) = 1 / (1 + exp(-X))
// and kept its output Y (not X). Write sigmoid_backward: given the upstream gradient
// dY = dL/dY and the forward's output Y, return dX = dL/dX.
//
// Shapes (columns are samples, B of them):
//     dY: D x B    the gradient of the loss with respect to Y
//     Y:  D x B    the forward's output, sigma(X)
//     returns dX: D x B
//
// In the reports: report 000, eq. (2) defines the sigmoid and report 001 uses it as a module;
// neither derivation of its derivative survives in the texts, so derive it yourself.
//
// Run: ./workbench exercise sigmoid   (hints: ./workbench exercise sigmoid --hint 1)
#include "exercise.hpp"

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  // Your code here.
  exercise::not_implemented_yet("sigmoid_backward");
}
