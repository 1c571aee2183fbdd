#include "gradlab/optim/sgd.hpp"

#include "gradlab/fast/kernels.hpp"
#include "gradlab/shape.hpp"
#include "options.hpp"

#include <utility>

namespace gradlab::optim {

void heavy_ball_step(arma::mat& v, arma::mat& theta, const arma::mat& g, double mu, double lr) {
  require_same_shape("heavy_ball_step", "v", v, "theta", theta);
  require_same_shape("heavy_ball_step", "g", g, "theta", theta);
  v = mu * v + g;  // v = mu v + g
  theta -= lr * v;  // theta -= lr v
}

SGD::SGD(std::vector<gradlab::Parameter> parameters, SGDOptions options)
    : Optimizer(std::move(parameters), options.learning_rate, "SGD"), options_(options) {
  detail::require_unit_interval("SGD", "momentum", options.momentum);
  detail::require_nonnegative("SGD", "weight_decay", options.weight_decay);
  require(!options.nesterov || options.momentum > 0.0, "SGD", [&] {
    return "nesterov = true needs momentum > 0 (momentum = " +
           detail::format_value(options.momentum) + ")";
  });
  if (options_.momentum > 0.0) velocity_ = zeros_like_parameters();
}

void SGD::update(std::size_t i, arma::mat& theta, const arma::mat& grad) {
  // theta, grad, v: the shape of parameter i
  const double lr = learning_rate();
  const double mu = options_.momentum;
  arma::mat decayed;
  if (options_.weight_decay > 0.0) decayed = grad + options_.weight_decay * theta;  // g = grad + wd theta
  const arma::mat& g = options_.weight_decay > 0.0 ? decayed : grad;

  if (mu == 0.0) {
    theta -= lr * g;  // plain: theta -= lr g
    return;
  }
  arma::mat& v = velocity_[i];
  if (!options_.nesterov) {
    // Heavy ball, the common case: heavy_ball_step's equations in one pass over the three
    // arrays (fast/kernels.hpp)
    fast::heavy_ball_step(v, theta, g, mu, lr);
    return;
  }
  v = mu * v + g;               // Nesterov: v = mu v + g
  theta -= lr * (g + mu * v);  //           theta -= lr (g + mu v)
}

std::optional<gradlab::ParameterUpdate::HeavyBall> SGD::heavy_ball(std::size_t i) {
  // update() above takes this branch: v = mu v + g; theta -= lr v with g the gradient itself
  if (options_.momentum == 0.0 || options_.nesterov || options_.weight_decay > 0.0)
    return std::nullopt;
  return HeavyBall{&velocity_[i], options_.momentum, learning_rate()};
}

std::vector<Optimizer::Buffers> SGD::state_buffers() const {
  if (options_.momentum == 0.0) return {};
  return {{"velocity", &velocity_}};
}

}  // namespace gradlab::optim
