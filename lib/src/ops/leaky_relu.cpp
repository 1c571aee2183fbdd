#include "gradlab/ops/leaky_relu.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

arma::mat leaky_relu_forward(const arma::mat& X, double slope) {
  arma::mat Y = X;
  Y.transform([slope](double x) { return x > 0.0 ? x : slope * x; });
  return Y;
}

arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X, double slope) {
  require_same_shape("leaky_relu_backward", "dY", dY, "X", X);
  arma::mat local = X;  // dY/dX elementwise: 1 where X > 0, slope elsewhere
  local.transform([slope](double x) { return x > 0.0 ? 1.0 : slope; });
  return dY % local;
}

}  // namespace gradlab::ops
