#include "gradlab/ops/batchnorm.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

namespace {
void require_params(const char* function, const arma::mat& X, const arma::vec& gamma,
                    const arma::vec& beta) {
  require_nonempty(function, "X", X);
  require(gamma.n_elem == X.n_rows && beta.n_elem == X.n_rows, function, [&] {
    return "X is " + shape_of(X) + " but gamma has " + std::to_string(gamma.n_elem) + " and beta " +
           std::to_string(beta.n_elem) + " entries (one per row of X)";
  });
}

// Y = gamma ⊙ x_hat + beta, row by row.
arma::mat scale_and_shift(const arma::mat& x_hat, const arma::vec& gamma, const arma::vec& beta) {
  arma::mat Y = x_hat;
  Y.each_col() %= gamma;
  Y.each_col() += beta;
  return Y;
}
}  // namespace

BatchNormForward batchnorm_forward(const arma::mat& X, const arma::vec& gamma,
                                   const arma::vec& beta, double eps) {
  require_params("batchnorm_forward", X, gamma, beta);
  require(eps > 0.0, "batchnorm_forward", "eps must be positive");
  // With one sample, x_hat = 0 and Y = beta whatever X is: nothing to normalise or learn.
  require(X.n_cols >= 2, "batchnorm_forward", [&] {
    return "X is " + shape_of(X) + ": training mode needs a batch of at least 2 samples";
  });
  BatchNormCache c;
  c.mean = arma::mean(X, 1);
  arma::mat centered = X;
  centered.each_col() -= c.mean;
  c.var = arma::mean(arma::square(centered), 1);  // biased: 1/B, as the batch is normalised
  c.inv_std = 1.0 / arma::sqrt(c.var + eps);
  c.x_hat = centered;
  c.x_hat.each_col() %= c.inv_std;
  return {scale_and_shift(c.x_hat, gamma, beta), std::move(c)};
}

BatchNormGrads batchnorm_backward(const arma::mat& dY, const arma::vec& gamma,
                                  const BatchNormCache& cache) {
  require_same_shape("batchnorm_backward", "dY", dY, "x_hat", cache.x_hat);
  require(gamma.n_elem == dY.n_rows && cache.inv_std.n_elem == dY.n_rows, "batchnorm_backward",
          [&] {
            return "dY is " + shape_of(dY) + " but gamma has " + std::to_string(gamma.n_elem) +
                   " entries (one per row)";
          });
  const double B = static_cast<double>(dY.n_cols);
  BatchNormGrads g;
  g.dbeta = arma::sum(dY, 1);                   // beta is added to every sample
  g.dgamma = arma::sum(dY % cache.x_hat, 1);    // gamma multiplies x_hat
  // dL/dx_hat = gamma ⊙ dY; pushing it back through the mean and the variance gives three terms:
  // term 1 B dY (the direct path), term 2 -sum_b dY (through the mean),
  // term 3 -x_hat ⊙ sum_b dY ⊙ x_hat (through the variance).
  arma::mat inner = B * dY;
  inner.each_col() -= g.dbeta;
  arma::mat through_var = cache.x_hat;
  through_var.each_col() %= g.dgamma;
  inner -= through_var;
  inner.each_col() %= gamma % cache.inv_std / B;
  g.dX = std::move(inner);
  return g;
}

BatchNormForward batchnorm_forward_eval(const arma::mat& X, const arma::vec& gamma,
                                        const arma::vec& beta, const arma::vec& running_mean,
                                        const arma::vec& running_var, double eps) {
  require_params("batchnorm_forward_eval", X, gamma, beta);
  require(running_mean.n_elem == X.n_rows && running_var.n_elem == X.n_rows,
          "batchnorm_forward_eval", [&] {
            return "X is " + shape_of(X) + " but the running statistics have " +
                   std::to_string(running_mean.n_elem) + " and " +
                   std::to_string(running_var.n_elem) + " entries (one per row of X)";
          });
  BatchNormCache c;
  c.mean = running_mean;
  c.var = running_var;
  c.inv_std = 1.0 / arma::sqrt(running_var + eps);
  c.x_hat = X;
  c.x_hat.each_col() -= running_mean;
  c.x_hat.each_col() %= c.inv_std;
  return {scale_and_shift(c.x_hat, gamma, beta), std::move(c)};
}

BatchNormGrads batchnorm_backward_eval(const arma::mat& dY, const arma::vec& gamma,
                                       const BatchNormCache& cache) {
  require_same_shape("batchnorm_backward_eval", "dY", dY, "x_hat", cache.x_hat);
  require(gamma.n_elem == dY.n_rows, "batchnorm_backward_eval", [&] {
    return "dY is " + shape_of(dY) + " but gamma has " + std::to_string(gamma.n_elem) +
           " entries (one per row)";
  });
  BatchNormGrads g;
  g.dbeta = arma::sum(dY, 1);
  g.dgamma = arma::sum(dY % cache.x_hat, 1);
  g.dX = dY;
  g.dX.each_col() %= gamma % cache.inv_std;  // the statistics are constants here
  return g;
}

}  // namespace gradlab::ops
