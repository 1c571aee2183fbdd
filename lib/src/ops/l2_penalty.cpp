#include "gradlab/ops/l2_penalty.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

double l2_penalty_forward(const arma::mat& W, double lambda) {
  require(lambda >= 0.0, "l2_penalty_forward",
          [&] { return "lambda = " + std::to_string(lambda) + " is negative"; });
  return 0.5 * lambda * arma::accu(arma::square(W));
}

arma::mat l2_penalty_backward(const arma::mat& W, double lambda) {
  require(lambda >= 0.0, "l2_penalty_backward",
          [&] { return "lambda = " + std::to_string(lambda) + " is negative"; });
  return lambda * W;
}

}  // namespace gradlab::ops
