#include "gradlab/ops/cross_entropy.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

double cross_entropy_forward(const arma::mat& probs, const arma::mat& targets, double eps) {
  require_same_shape("cross_entropy_forward", "probs", probs, "targets", targets);
  require_nonempty("cross_entropy_forward", "probs", probs);
  const double B = static_cast<double>(probs.n_cols);
  return -arma::accu(targets % arma::log(probs + eps)) / B;
}

arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets, double eps) {
  require_same_shape("cross_entropy_backward", "probs", probs, "targets", targets);
  require_nonempty("cross_entropy_backward", "probs", probs);
  const double B = static_cast<double>(probs.n_cols);
  return -targets / (probs + eps) / B;  // 1/B: the batch mean
}

}  // namespace gradlab::ops
