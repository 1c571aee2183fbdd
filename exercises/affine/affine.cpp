// Exercise affine: the backward pass of the affine map (a linear layer).
//
// The forward pass computed
//     Y = W X + b        (b added to every column)
// Write affine_backward: given the upstream gradient dY = dL/dY, return the three gradients
// dX = dL/dX, dW = dL/dW and db = dL/db, in an exercise::AffineGrads {dX, dW, db}.
//
// Shapes (columns are samples, B of them):
//     dY: M x B    the gradient of the loss with respect to Y
//     W:  M x D    the weights
//     X:  D x B    the forward's input
//     returns dX: D x B,  dW: M x D,  db: M (a column vector)
//
// The loss is already a mean over the batch: its 1/B is inside dY.
//
// In the reports: report 000, eq. (5) and Sec. III-C; report 002, eqs. (16)-(19) and (27), one
// sample at a time; report 003, eqs. (6)-(9) and (12)-(14), with gradients written as rows.
//
// Run: ./workbench exercise affine   (hints: ./workbench exercise affine --hint 1)
#include "exercise.hpp"

exercise::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  // Your code here.
  exercise::not_implemented_yet("affine_backward");
}
