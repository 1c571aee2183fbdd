// Exercise leaky_relu: the backward pass of the leaky ReLU.
//
// The forward pass computed, element by element, with a small slope (0 <= slope < 1):
//     Y = X          where X > 0
//     Y = slope * X  elsewhere
// Write leaky_relu_backward: given the upstream gradient dY = dL/dY, return dX = dL/dX.
//
// Shapes (columns are samples, B of them):
//     dY: D x B    the gradient of the loss with respect to Y
//     X:  D x B    the forward's input
//     slope        a number, the same one the forward used
//     returns dX: D x B
//
// In the reports: report 001, eq. (4) defines the leaky ReLU it trains with (printed with a
// stray minus sign: the function is max(0.01 x, x)). Where X is exactly 0, use the left side's
// derivative.
//
// Run: ./workbench exercise leaky_relu   (hints: ./workbench exercise leaky_relu --hint 1)
#include "exercise.hpp"

arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X, double slope) {
  // Your code here.
  exercise::not_implemented_yet("leaky_relu_backward");
}
