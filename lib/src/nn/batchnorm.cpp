#include "gradlab/nn/batchnorm.hpp"

#include "gradlab/shape.hpp"
#include "layer_checks.hpp"

#include <cmath>
#include <stdexcept>

namespace gradlab::nn {

BatchNorm::BatchNorm(arma::uword features, double momentum, double eps)
    : gamma(features, arma::fill::ones),
      beta(features, arma::fill::zeros),
      dgamma(features, arma::fill::zeros),
      dbeta(features, arma::fill::zeros),
      running_mean(features, arma::fill::zeros),
      running_var(features, arma::fill::ones),
      momentum_(momentum),
      eps_(eps) {
  require(features > 0, "BatchNorm", "features must be positive");
  require(momentum >= 0.0 && momentum <= 1.0, "BatchNorm",
          [&] { return "momentum = " + detail::number(momentum) + " is outside [0, 1]"; });
  require(eps > 0.0 && std::isfinite(eps), "BatchNorm",
          [&] { return "eps = " + detail::number(eps) + " must be positive"; });
}

std::string BatchNorm::name() const { return "BatchNorm(" + std::to_string(features()) + ")"; }

arma::mat BatchNorm::forward(const arma::mat& X) {
  // X: D x B  ->  Y: D x B
  detail::require_input(*this, X, features());
  cached_mode_ = mode_;
  if (mode_ == Mode::eval) {
    // x_hat = (X - running_mean) / sqrt(running_var + eps),  Y = gamma ⊙ x_hat + beta
    ops::BatchNormForward f =
        ops::batchnorm_forward_eval(X, gamma, beta, running_mean, running_var, eps_);
    cache_ = std::move(f.cache);
    return std::move(f.Y);
  }
  const double B = static_cast<double>(X.n_cols);
  if (X.n_cols < 2)
    throw std::invalid_argument(detail::where(*this, "forward") + ": X is " + shape_of(X) +
                                " but train mode needs at least 2 samples (a batch of one has no "
                                "variance; use eval mode)");
  // mean, var = batch statistics (var biased, 1/B);  x_hat = (X - mean) / sqrt(var + eps)
  ops::BatchNormForward f = ops::batchnorm_forward(X, gamma, beta, eps_);
  // Fold the batch into the running statistics (PyTorch's rule, unbiased variance B/(B-1)):
  running_mean = (1.0 - momentum_) * running_mean + momentum_ * f.cache.mean;
  running_var = (1.0 - momentum_) * running_var + momentum_ * f.cache.var * (B / (B - 1.0));
  cache_ = std::move(f.cache);
  return std::move(f.Y);
}

arma::mat BatchNorm::backward(const arma::mat& dY) {
  // dY: D x B.  dgamma = sum_b dY ⊙ x_hat,  dbeta = sum_b dY, and dX through ops::batchnorm_*
  detail::require_upstream(*this, dY, cache_.x_hat.n_rows, cache_.x_hat.n_cols);
  ops::BatchNormGrads g = cached_mode_ == Mode::train
                              ? ops::batchnorm_backward(dY, gamma, cache_)
                              : ops::batchnorm_backward_eval(dY, gamma, cache_);
  dgamma = std::move(g.dgamma);  // assigned, never accumulated
  dbeta = std::move(g.dbeta);
  return std::move(g.dX);
}

std::vector<Parameter> BatchNorm::parameters() {
  return {{"gamma", &gamma, &dgamma}, {"beta", &beta, &dbeta}};
}

std::vector<Parameter> BatchNorm::state() {
  return {{"running_mean", &running_mean, nullptr}, {"running_var", &running_var, nullptr}};
}

}  // namespace gradlab::nn
