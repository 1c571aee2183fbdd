#include "gradlab/ops/mse.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

double mse_forward(const arma::mat& Y, const arma::mat& targets) {
  require_same_shape("mse_forward", "Y", Y, "targets", targets);
  require_nonempty("mse_forward", "Y", Y);
  const double B = static_cast<double>(Y.n_cols);
  return arma::accu(arma::square(Y - targets)) / B;
}

arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets) {
  require_same_shape("mse_backward", "Y", Y, "targets", targets);
  require_nonempty("mse_backward", "Y", Y);
  const double B = static_cast<double>(Y.n_cols);
  return 2.0 * (Y - targets) / B;
}

}  // namespace gradlab::ops
