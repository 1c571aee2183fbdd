// Exercise batchnorm_staged: batch normalisation's backward pass, one stage at a time.
//
// The forward pass (training mode) computed, for each feature (row) d, in this order:
//     mean    = (1/B) sum_b X_b                (a D-vector: one mean per row)
//     centred = X - mean                       (mean subtracted from every column)
//     var     = (1/B) sum_b centred_b ⊙ centred_b      (biased: 1/B)
//     inv_std = 1 / sqrt(var + eps)
//     x_hat   = centred ⊙ inv_std              (per row)
//     Y       = gamma ⊙ x_hat + beta           (per row)
// Write batchnorm_staged_backward: recompute what you need of this forward from X, then walk
// the graph backwards, one stage at a time, to return dX = dL/dX, dgamma = dL/dgamma and
// dbeta = dL/dbeta, in an exercise::BatchNormGrads {dX, dgamma, dbeta}.
//
// Shapes (columns are samples, B of them):
//     dY:    D x B    the gradient of the loss with respect to Y
//     X:     D x B    the forward's input
//     gamma: D        the scale
//     eps:            the small number the forward added to the variance
//     returns dX: D x B,  dgamma: D,  dbeta: D
//
// A variable used twice (centred feeds var and x_hat; X feeds mean and centred) collects one
// contribution from each use. In the reports: report 003, eqs. (17)-(19) derive the same
// gradient in one go; batchnorm (the other exercise) is its closed form, eq. (20).
//
// Run: ./workbench exercise batchnorm_staged   (hints: ./workbench exercise batchnorm_staged --hint 1)
#include "exercise.hpp"

exercise::BatchNormGrads batchnorm_staged_backward(const arma::mat& dY, const arma::mat& X,
                                                   const arma::vec& gamma, double eps) {
  // Your code here.
  exercise::not_implemented_yet("batchnorm_staged_backward");
}
