// A correct answer (report 003, eq. 20): dbeta = sum_b dY, dgamma = sum_b dY ⊙ x_hat,
// dX = (gamma ⊙ inv_std / B) ⊙ (B dY - dbeta - x_hat ⊙ dgamma).
#include "exercise.hpp"

exercise::BatchNormGrads batchnorm_backward(const arma::mat& dY, const arma::mat& x_hat,
                                            const arma::vec& gamma, const arma::vec& inv_std) {
  const double B = static_cast<double>(dY.n_cols);
  const arma::vec dbeta = arma::sum(dY, 1);
  const arma::vec dgamma = arma::sum(dY % x_hat, 1);
  arma::mat dX = B * dY;
  dX.each_col() -= dbeta;
  dX -= x_hat.each_col() % dgamma;
  dX.each_col() %= gamma % inv_std / B;
  return {dX, dgamma, dbeta};
}
