// expect: missing_term  dX = dcentred: the path X -> mean -> centred is forgotten (one constant per row missing); dgamma, dbeta right
#include "exercise.hpp"

exercise::BatchNormGrads batchnorm_staged_backward(const arma::mat& dY, const arma::mat& X,
                                                   const arma::vec& gamma, double eps) {
  const double B = static_cast<double>(X.n_cols);
  const arma::vec mean = arma::mean(X, 1);
  const arma::mat centred = X.each_col() - mean;
  const arma::vec var = arma::mean(arma::square(centred), 1);
  const arma::vec inv_std = 1.0 / arma::sqrt(var + eps);
  const arma::mat x_hat = centred.each_col() % inv_std;
  const arma::vec dbeta = arma::sum(dY, 1);
  const arma::vec dgamma = arma::sum(dY % x_hat, 1);
  const arma::mat dx_hat = dY.each_col() % gamma;
  const arma::vec dinv_std = arma::sum(dx_hat % centred, 1);
  arma::mat dcentred = dx_hat.each_col() % inv_std;
  const arma::vec dvar = -0.5 * arma::pow(var + eps, -1.5) % dinv_std;
  dcentred += (2.0 / B) * (centred.each_col() % dvar);
  return {dcentred, dgamma, dbeta};
}
