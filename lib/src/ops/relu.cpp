#include "gradlab/ops/relu.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

arma::mat relu_forward(const arma::mat& X) {
  // X: any shape.  Y = max(X, 0), entry by entry. Written x < 0 ? 0 : x so that a NaN stays NaN
  // (divergence must show) and -0 stays -0.
  arma::mat Y = X;
  Y.transform([](double x) { return x < 0.0 ? 0.0 : x; });
  return Y;
}

arma::mat relu_backward(const arma::mat& dY, const arma::mat& X) {
  require_same_shape("relu_backward", "dY", dY, "X", X);
  // Forward was Y = max(X, 0), so dX = dY ⊙ 1[X > 0]
  const arma::mat mask = arma::conv_to<arma::mat>::from(X > 0.0);  // 1[X > 0]
  return dY % mask;
}

}  // namespace gradlab::ops
