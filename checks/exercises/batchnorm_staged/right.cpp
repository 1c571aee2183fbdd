// A correct answer: the forward recomputed, then each stage's chain rule in reverse order.
#include "exercise.hpp"

exercise::BatchNormGrads batchnorm_staged_backward(const arma::mat& dY, const arma::mat& X,
                                                   const arma::vec& gamma, double eps) {
  const double B = static_cast<double>(X.n_cols);
  // forward
  const arma::vec mean = arma::mean(X, 1);
  const arma::mat centred = X.each_col() - mean;
  const arma::vec var = arma::mean(arma::square(centred), 1);
  const arma::vec inv_std = 1.0 / arma::sqrt(var + eps);
  const arma::mat x_hat = centred.each_col() % inv_std;
  // backward: Y = gamma x_hat + beta
  const arma::vec dbeta = arma::sum(dY, 1);
  const arma::vec dgamma = arma::sum(dY % x_hat, 1);
  const arma::mat dx_hat = dY.each_col() % gamma;
  // x_hat = centred inv_std
  const arma::vec dinv_std = arma::sum(dx_hat % centred, 1);
  arma::mat dcentred = dx_hat.each_col() % inv_std;
  // inv_std = (var + eps)^(-1/2)
  const arma::vec dvar = -0.5 * arma::pow(var + eps, -1.5) % dinv_std;
  // var = (1/B) sum_b centred^2
  dcentred += (2.0 / B) * (centred.each_col() % dvar);
  // centred = X - mean, mean = (1/B) sum_b X
  const arma::vec dmean = -arma::sum(dcentred, 1);
  const arma::mat dX = dcentred.each_col() + dmean / B;
  return {dX, dgamma, dbeta};
}
