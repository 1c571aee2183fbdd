#include "gradlab/optim/sgd.hpp"

#include "gradlab/parallel.hpp"
#include "gradlab/shape.hpp"
#include "options.hpp"

#include <utility>

namespace gradlab::optim {

namespace {

// v = mu v + g;  theta -= lr v, element by element. Built for AVX2 as well as for the baseline
// instruction set, the best one picked when the program starts: the same operations in the same
// order either way (no fused multiply-add: the project builds with -ffp-contract=off), so the
// same numbers on every machine.
__attribute__((target_clones("avx2", "default"))) void heavy_ball(double* v, double* theta,
                                                                 const double* g, arma::uword n,
                                                                 double mu, double lr) {
  for (arma::uword k = 0; k < n; ++k) {
    v[k] = mu * v[k] + g[k];
    theta[k] -= lr * v[k];
  }
}

}  // namespace

SGD::SGD(std::vector<nn::Parameter> parameters, SGDOptions options)
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
    // Heavy ball, the common case, in one pass over the three arrays (two passes read and
    // write the velocity twice; at batch 1 this update is most of a step's memory traffic):
    //   v = mu v + g;   theta -= lr v        (lr stays outside v: see sgd.hpp)
    double* velocity = v.memptr();
    double* values = theta.memptr();
    const double* gradient = g.memptr();
    // a slice per thread (gradlab/parallel.hpp); the loop touches three arrays of n numbers
    parallel::for_slices(v.n_elem, 3.0 * v.n_elem, [=](arma::uword begin, arma::uword end) {
      heavy_ball(velocity + begin, values + begin, gradient + begin, end - begin, mu, lr);
    });
    return;
  }
  v = mu * v + g;               // Nesterov: v = mu v + g
  theta -= lr * (g + mu * v);  //           theta -= lr (g + mu v)
}

std::vector<Optimizer::Buffers> SGD::state_buffers() const {
  if (options_.momentum == 0.0) return {};
  return {{"velocity", &velocity_}};
}

}  // namespace gradlab::optim
