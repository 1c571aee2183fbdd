#include "gradlab/nn/activations.hpp"

#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/fast/kernels.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/shape.hpp"
#include "layer_checks.hpp"

#include <cmath>

namespace gradlab::nn {

// ReLU ------------------------------------------------------------------------------------

arma::mat ReLU::forward(const arma::mat& X) {
  // X: D x B  ->  Y = max(X, 0): D x B
  detail::require_input(*this, X, 0);
  X_ = X;
  return fast::relu_forward(X);
}

arma::mat ReLU::forward(arma::mat&& X) {
  detail::require_input(*this, X, 0);
  X_ = std::move(X);
  return fast::relu_forward(X_);
}

arma::mat ReLU::backward(const arma::mat& dY) {
  // dY: D x B.  Forward was Y = max(X, 0), so dX = dY ⊙ 1[X > 0]
  detail::require_upstream(*this, dY, X_.n_rows, X_.n_cols);
  return fast::relu_backward(dY, X_);
}

// LeakyReLU -------------------------------------------------------------------------------

LeakyReLU::LeakyReLU(double slope) : slope_(slope) {
  require(std::isfinite(slope), "LeakyReLU", "slope must be finite");
}

std::string LeakyReLU::name() const { return "LeakyReLU(" + detail::number(slope_) + ")"; }

arma::mat LeakyReLU::forward(const arma::mat& X) {
  // X: D x B  ->  Y = X where X > 0, slope X elsewhere
  detail::require_input(*this, X, 0);
  X_ = X;
  return ops::leaky_relu_forward(X, slope_);
}

arma::mat LeakyReLU::forward(arma::mat&& X) {
  detail::require_input(*this, X, 0);
  X_ = std::move(X);
  return ops::leaky_relu_forward(X_, slope_);
}

arma::mat LeakyReLU::backward(const arma::mat& dY) {
  // dY: D x B.  dX = dY ⊙ (1 where X > 0, slope elsewhere)
  detail::require_upstream(*this, dY, X_.n_rows, X_.n_cols);
  return ops::leaky_relu_backward(dY, X_, slope_);
}

// Tanh ------------------------------------------------------------------------------------

arma::mat Tanh::forward(const arma::mat& X) {
  // X: D x B  ->  Y = tanh(X).  Caches Y: tanh' = 1 - tanh^2 needs nothing else.
  detail::require_input(*this, X, 0);
  Y_ = ops::tanh_forward(X);
  return Y_;
}

arma::mat Tanh::backward(const arma::mat& dY) {
  // dY: D x B.  dX = dY ⊙ (1 - Y ⊙ Y)
  detail::require_upstream(*this, dY, Y_.n_rows, Y_.n_cols);
  return ops::tanh_backward(dY, Y_);
}

// Sigmoid ---------------------------------------------------------------------------------

arma::mat Sigmoid::forward(const arma::mat& X) {
  // X: D x B  ->  Y = 1 / (1 + exp(-X)).  Caches Y: sigma' = sigma (1 - sigma).
  detail::require_input(*this, X, 0);
  Y_ = ops::sigmoid_forward(X);
  return Y_;
}

arma::mat Sigmoid::backward(const arma::mat& dY) {
  // dY: D x B.  dX = dY ⊙ Y ⊙ (1 - Y)
  detail::require_upstream(*this, dY, Y_.n_rows, Y_.n_cols);
  return ops::sigmoid_backward(dY, Y_);
}

// LogSoftmax ------------------------------------------------------------------------------

arma::mat LogSoftmax::forward(const arma::mat& X) {
  // X (logits): C x B  ->  Y (logprobs): C x B,  Y_cb = X_cb - log sum_k exp(X_kb)
  detail::require_input(*this, X, 0);
  Y_ = ops::log_softmax_forward(X);
  return Y_;
}

arma::mat LogSoftmax::backward(const arma::mat& dY) {
  // dY: C x B.  dX = dY - exp(Y) ⊙ (column sums of dY)
  detail::require_upstream(*this, dY, Y_.n_rows, Y_.n_cols);
  return ops::log_softmax_backward(dY, Y_);
}

}  // namespace gradlab::nn
