#include "gradlab/nn/linear.hpp"

#include "gradlab/fast/kernels.hpp"
#include "gradlab/shape.hpp"
#include "layer_checks.hpp"

namespace gradlab::nn {

Linear::Linear(arma::uword in, arma::uword out)
    : W(out, in, arma::fill::zeros),
      b(out, arma::fill::zeros),
      dW(out, in, arma::fill::zeros),
      db(out, arma::fill::zeros) {
  require(in > 0 && out > 0, "Linear", [&] {
    return "in = " + std::to_string(in) + " and out = " + std::to_string(out) +
           " must both be positive";
  });
}

std::string Linear::name() const {
  return "Linear(" + std::to_string(in()) + ", " + std::to_string(out()) + ")";
}

arma::mat Linear::forward(const arma::mat& X) {
  // X: in x B, W: out x in, b: out  ->  Y: out x B
  detail::require_input(*this, X, in());
  X_ = X;
  borrowed_ = nullptr;
  return fast::affine_forward(W, b, X_);  // Y = W X + b
}

arma::mat Linear::forward(arma::mat&& X) {
  detail::require_input(*this, X, in());
  X_ = std::move(X);
  borrowed_ = nullptr;
  return fast::affine_forward(W, b, X_);  // Y = W X + b
}

arma::mat Linear::forward_borrowed(const arma::mat& X) {
  detail::require_input(*this, X, in());
  borrowed_ = &X;  // the caller keeps X until backward; no copy of the batch
  return fast::affine_forward(W, b, X);  // Y = W X + b
}

arma::mat Linear::backward(const arma::mat& dY) {
  // dY: out x B.  Forward was Y = W X + b, so (docs/derivations/affine.md)
  // dW = dY X^T,  db = sum of dY over the batch,  dX = W^T dY
  const arma::mat& X = input();
  detail::require_upstream(*this, dY, out(), X.n_cols);
  ops::AffineGrads g = fast::affine_backward(dY, W, X);
  dW = std::move(g.dW);  // assigned, never accumulated
  db = std::move(g.db);
  return std::move(g.dX);
}

void Linear::backward_parameters(const arma::mat& dY) {
  // dW = dY X^T, db = sum of dY over the batch; dX = W^T dY is not needed below the first layer
  const arma::mat& X = input();
  detail::require_upstream(*this, dY, out(), X.n_cols);
  fast::affine_backward_parameters(dY, X, dW, db);
}

arma::mat Linear::backward_and_update(const arma::mat& dY, ParameterUpdate& update,
                                      bool input_gradient) {
  const arma::mat& X = input();
  detail::require_upstream(*this, dY, out(), X.n_cols);
  if (X.n_cols != 1) return Layer::backward_and_update(dY, update, input_gradient);
  const std::vector<Parameter> W_and_b = parameters();  // {W, b}
  std::optional<ParameterUpdate::HeavyBall> rule = update.take_heavy_ball(W_and_b[0]);
  if (!rule) return Layer::backward_and_update(dY, update, input_gradient);
  arma::mat dX;
  if (input_gradient) dX = W.t() * dY;  // dX = W^T dY, before W moves
  fast::heavy_ball_outer_step(*rule->velocity, W, dY, X, rule->mu, rule->lr);  // g = dY X^T
  db = dY;  // the sum over a batch of one
  update.update_parameter(W_and_b[1]);
  return dX;
}

std::vector<Parameter> Linear::parameters() { return {{"W", &W, &dW}, {"b", &b, &db}}; }

}  // namespace gradlab::nn
