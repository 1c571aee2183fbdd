// Elementwise activations: relu, leaky_relu, tanh, sigmoid.
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/parallel.hpp"
#include "gradlab/shape.hpp"

#include <cmath>

namespace gradlab::ops {

arma::mat relu_forward(const arma::mat& X) {
  // Y = max(X, 0), one vectorisable pass; written x < 0 ? 0 : x so that a NaN stays NaN
  // (divergence must show) and -0 stays -0, as arma::clamp would leave them.
  arma::mat Y(arma::size(X), arma::fill::none);
  const double* x = X.memptr();
  double* y = Y.memptr();
  parallel::for_slices(Y.n_elem, Y.n_elem, [=](arma::uword begin, arma::uword end) {
    for (arma::uword k = begin; k < end; ++k) y[k] = x[k] < 0.0 ? 0.0 : x[k];
  });
  return Y;
}

arma::mat relu_backward(const arma::mat& dY, const arma::mat& X) {
  require_same_shape("relu_backward", "dY", dY, "X", X);
  // dX = dY ⊙ 1[X > 0], one pass (the mask as a matrix of its own would cost two more)
  arma::mat dX(arma::size(dY), arma::fill::none);  // every entry written below
  const double* x = X.memptr();
  const double* dy = dY.memptr();
  double* dx = dX.memptr();
  parallel::for_slices(dX.n_elem, dX.n_elem, [=](arma::uword begin, arma::uword end) {
    for (arma::uword k = begin; k < end; ++k) dx[k] = dy[k] * (x[k] > 0.0 ? 1.0 : 0.0);
  });
  return dX;
}

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

arma::mat tanh_forward(const arma::mat& X) { return arma::tanh(X); }

arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y) {
  require_same_shape("tanh_backward", "dY", dY, "Y", Y);
  // dX = dY ⊙ (1 - Y²), evaluated as (1 - Y)(1 + Y): near saturation 1 - Y² would cancel
  // about six digits (at X = 7.5, 1 - Y² is 1.2e-6).
  return dY % ((1.0 - Y) % (1.0 + Y));
}

arma::mat sigmoid_forward(const arma::mat& X) {
  arma::mat Y = X;
  Y.transform([](double x) {
    if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);  // x < 0: exp(x) <= 1, no overflow
    return e / (1.0 + e);
  });
  return Y;
}

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  require_same_shape("sigmoid_backward", "dY", dY, "Y", Y);
  return dY % Y % (1.0 - Y);  // dX = dY ⊙ Y ⊙ (1 - Y)
}

}  // namespace gradlab::ops
