#include "gradlab/nn/differentiable.hpp"

#include "gradlab/check/function.hpp"
#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/dropout.hpp"
#include "gradlab/shape.hpp"

#include <memory>

namespace gradlab::nn {

namespace {

using Mats = std::vector<arma::mat>;

// What a check holds while it lives: its own copy of the batch, and the state of the layers it
// must hand back unchanged (a guard: the destructor unfreezes and restores).
class CheckState {
 public:
  arma::mat X;
  arma::uvec labels;

  CheckState() = default;
  CheckState(const CheckState&) = delete;
  CheckState& operator=(const CheckState&) = delete;
  ~CheckState() {
    for (Dropout* dropout : frozen_) dropout->set_frozen_mask(false);
    for (SavedStatistics& s : saved_) {
      s.layer->running_mean = s.mean;
      s.layer->running_var = s.var;
    }
  }

  // Freezes a Dropout's mask, saves a BatchNorm's running statistics; other layers: nothing.
  void hold(Layer& layer) {
    if (auto* dropout = dynamic_cast<Dropout*>(&layer); dropout && !dropout->frozen_mask()) {
      dropout->set_frozen_mask(true);
      frozen_.push_back(dropout);
    }
    if (auto* bn = dynamic_cast<BatchNorm*>(&layer))
      saved_.push_back({bn, bn->running_mean, bn->running_var});
  }

 private:
  struct SavedStatistics {
    BatchNorm* layer;
    arma::vec mean, var;
  };
  std::vector<Dropout*> frozen_;
  std::vector<SavedStatistics> saved_;
};

// Every gradient buffer = NaN, in its parameter's shape: an entry backward does not assign
// stays NaN, and one it adds into becomes NaN.
void fill_gradients_with_nan(const std::vector<Parameter>& params) {
  for (const Parameter& p : params) {
    p.grad->set_size(p.value->n_rows, p.value->n_cols);
    p.grad->fill(arma::datum::nan);
  }
}

}  // namespace

check::Differentiable differentiable(Layer& layer, const arma::mat& X) {
  auto state = std::make_shared<CheckState>();
  state->X = X;
  state->hold(layer);
  Layer* l = &layer;

  check::Differentiable fn;
  fn.inputs.push_back({"X", &state->X});
  for (const Parameter& p : layer.parameters()) fn.inputs.push_back({p.name, p.value});
  // Y = layer(X): out x B
  fn.forward = [l, state] { return l->forward(state->X); };
  // {dX, dparam...} for dY = G, from a fresh forward on the current inputs
  fn.backward = [l, state](const arma::mat& G) {
    const std::vector<Parameter> params = l->parameters();
    fill_gradients_with_nan(params);
    l->forward(state->X);
    Mats grads{l->backward(G)};
    for (const Parameter& p : params) grads.push_back(*p.grad);
    return grads;
  };
  fn.owner = state;
  return fn;
}

check::CheckResult check_layer(Layer& layer, const arma::mat& X, const check::Options& options) {
  const check::Differentiable fn = differentiable(layer, X);
  check::CheckResult r = check::check_vjp(fn, options);
  r.label = layer.name();
  r.shape = check::shapes_of(fn);
  return r;
}

check::Differentiable differentiable(Sequential& net, Loss& loss, const arma::mat& X,
                                     const arma::uvec& labels) {
  require(labels.n_elem == X.n_cols, "nn::differentiable", [&] {
    return "X is " + shape_of(X) + " but labels has " + std::to_string(labels.n_elem) +
           " entries (one per column)";
  });
  auto state = std::make_shared<CheckState>();
  state->X = X;
  state->labels = labels;
  for (std::size_t i = 0; i < net.size(); ++i) state->hold(net.layer(i));
  Sequential* n = &net;
  Loss* f = &loss;

  check::Differentiable fn;
  fn.inputs.push_back({"X", &state->X});
  for (const Parameter& p : net.parameters()) fn.inputs.push_back({p.name, p.value});
  // [L]: 1x1,  L = loss(net(X), labels)
  fn.forward = [n, f, state] {
    return arma::mat(1, 1, arma::fill::value(f->forward(n->forward(state->X), state->labels)));
  };
  // The upstream gradient of the scalar output is G(0,0), so every gradient is scaled by it:
  // {G dL/dX, G dL/d(0.W), ...}
  fn.backward = [n, f, state](const arma::mat& G) {
    const std::vector<Parameter> params = n->parameters();
    fill_gradients_with_nan(params);
    f->forward(n->forward(state->X), state->labels);
    const double g = G(0, 0);
    Mats grads{g * n->backward(f->backward())};
    for (const Parameter& p : params) grads.push_back(g * *p.grad);
    return grads;
  };
  fn.owner = state;
  return fn;
}

check::Differentiable differentiable(Loss& loss, const arma::mat& outputs,
                                     const arma::uvec& labels) {
  auto state = std::make_shared<CheckState>();
  state->X = outputs;
  state->labels = labels;
  Loss* f = &loss;

  check::Differentiable fn;
  fn.inputs.push_back({"outputs", &state->X});
  // [L]: 1x1
  fn.forward = [f, state] {
    return arma::mat(1, 1, arma::fill::value(f->forward(state->X, state->labels)));
  };
  // {G(0,0) dL/d(outputs)}
  fn.backward = [f, state](const arma::mat& G) {
    f->forward(state->X, state->labels);
    return Mats{G(0, 0) * f->backward()};
  };
  fn.owner = state;
  return fn;
}

}  // namespace gradlab::nn
