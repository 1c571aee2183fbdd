#include "gradlab/optim/adam.hpp"

#include "options.hpp"

#include <cmath>
#include <utility>

namespace gradlab::optim {

Adam::Adam(std::vector<gradlab::Parameter> parameters, AdamOptions options)
    : Optimizer(std::move(parameters), options.learning_rate, "Adam"), options_(options) {
  detail::require_unit_interval("Adam", "beta1", options.beta1);
  detail::require_unit_interval("Adam", "beta2", options.beta2);
  detail::require_positive("Adam", "eps", options.eps);
  detail::require_nonnegative("Adam", "weight_decay", options.weight_decay);
  m_ = zeros_like_parameters();
  v_ = zeros_like_parameters();
}

void Adam::update(std::size_t i, arma::mat& theta, const arma::mat& grad) {
  // theta, grad, m, v: the shape of parameter i; every operation below is elementwise
  const double lr = learning_rate();
  const double beta1 = options_.beta1, beta2 = options_.beta2;
  const double t = static_cast<double>(steps());  // 1 during the first step

  arma::mat g = grad;
  if (options_.weight_decay > 0.0) g += options_.weight_decay * theta;  // g = grad + wd theta

  arma::mat& m = m_[i];
  arma::mat& v = v_[i];
  m = beta1 * m + (1.0 - beta1) * g;                       // m = beta1 m + (1 - beta1) g
  v = beta2 * v + (1.0 - beta2) * (g % g);                 // v = beta2 v + (1 - beta2) g^2
  const arma::mat m_hat = m / (1.0 - std::pow(beta1, t));  // bias corrections
  const arma::mat v_hat = v / (1.0 - std::pow(beta2, t));
  theta -=
      lr * (m_hat / (arma::sqrt(v_hat) + options_.eps));  // theta -= lr m_hat / (sqrt(v_hat) + eps)
}

std::vector<Optimizer::Buffers> Adam::state_buffers() const { return {{"m", &m_}, {"v", &v_}}; }

}  // namespace gradlab::optim
