// expect: missing_term  dX without the term through the variance (-x_hat ⊙ dgamma); dgamma, dbeta right
#include "exercise.hpp"

exercise::BatchNormGrads batchnorm_backward(const arma::mat& dY, const arma::mat& x_hat,
                                            const arma::vec& gamma, const arma::vec& inv_std) {
  const double B = static_cast<double>(dY.n_cols);
  const arma::vec dbeta = arma::sum(dY, 1);
  const arma::vec dgamma = arma::sum(dY % x_hat, 1);
  arma::mat dX = B * dY;
  dX.each_col() -= dbeta;
  dX.each_col() %= gamma % inv_std / B;
  return {dX, dgamma, dbeta};
}
