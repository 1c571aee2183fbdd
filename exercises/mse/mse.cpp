// Exercise mse: the gradient of the mean squared error.
//
// The forward pass computed, from outputs Y and targets T,
//     L = (1/B) sum_b || Y_b - T_b ||^2               (Y_b, T_b: column b)
// that is, the squared errors summed over the C outputs of a sample, then the mean over the
// B samples. Write mse_backward: return dY = dL/dY.
//
// Shapes (columns are samples, B of them):
//     Y:       C x B    the network's outputs
//     targets: C x B    T, the targets (one-hot for classification)
//     returns dY: C x B
//
// In the reports: report 001, eq. (7) (the loss, with N the number of samples).
//
// Run: ./workbench exercise mse   (hints: ./workbench exercise mse --hint 1)
#include "exercise.hpp"

arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets) {
  // Your code here.
  exercise::not_implemented_yet("mse_backward");
}
