// Exercise batchnorm: the backward pass of batch normalisation, in closed form.
//
// The forward pass (training mode) normalised each feature (row) d with that row's statistics
// over the batch, then scaled and shifted it:
//     mean_d = (1/B) sum_b X_db,      var_d = (1/B) sum_b (X_db - mean_d)^2   (biased: 1/B)
//     inv_std_d = 1 / sqrt(var_d + eps)
//     x_hat_db  = (X_db - mean_d) * inv_std_d
//     Y_db      = gamma_d * x_hat_db + beta_d
// and kept x_hat and inv_std. Write batchnorm_backward: given the upstream gradient
// dY = dL/dY, return dX = dL/dX, dgamma = dL/dgamma and dbeta = dL/dbeta, in an
// exercise::BatchNormGrads {dX, dgamma, dbeta}.
//
// Shapes (columns are samples, B of them):
//     dY:      D x B    the gradient of the loss with respect to Y
//     x_hat:   D x B    the normalised input
//     gamma:   D        the scale
//     inv_std: D        1 / sqrt(var + eps), per row
//     returns dX: D x B,  dgamma: D,  dbeta: D
//
// Every x_hat_db depends on the whole row of X (through mean_d and var_d), so dX has more than
// one term. In the reports: report 003, eqs. (15)-(16) (dbeta, dgamma) and eqs. (17)-(20) (dX;
// eq. (20) is the matrix form).
//
// Run: ./workbench exercise batchnorm   (hints: ./workbench exercise batchnorm --hint 1)
#include "exercise.hpp"

exercise::BatchNormGrads batchnorm_backward(const arma::mat& dY, const arma::mat& x_hat,
                                            const arma::vec& gamma, const arma::vec& inv_std) {
  // Your code here.
  exercise::not_implemented_yet("batchnorm_backward");
}
