#pragma once
// A chain of layers: forward in order, backward in reverse order. Owns its layers.
// Losses stay outside (they need the labels): see nn/loss.hpp.
//
//   Sequential net;
//   net.add(std::make_unique<Linear>(784, 100));
//   net.add(std::make_unique<ReLU>());
//   net.add(std::make_unique<Linear>(100, 10));
//   arma::mat logits = net.forward(X);          // X: 784 x B -> 10 x B
//   net.backward(loss.backward());              // fills every layer's gradients
#include "gradlab/nn/layer.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace gradlab::nn {

class Sequential {
 public:
  // Appends a layer (after the last one) and returns it. Throws for a null pointer.
  Layer& add(std::unique_ptr<Layer> layer);
  // Puts `layer` in place of layer `index` and returns the one it replaces (to wrap it, or to
  // swap in a layer of one's own). Throws for a null pointer or an index past the end.
  std::unique_ptr<Layer> replace(std::size_t index, std::unique_ptr<Layer> layer);

  // X: in x B -> the last layer's output. Y_0 = layer_0(X), Y_k = layer_k(Y_{k-1}).
  arma::mat forward(const arma::mat& X);
  arma::mat forward(arma::mat&& X);  // the same for an X the caller gives up (no copy of it)
  // The same for an X that stays alive and unchanged until backward has run (the training
  // loop's batch): the first layer may keep a reference to X instead of a copy
  // (Layer::forward_borrowed), which saves copying the batch at every step.
  arma::mat forward_borrowed(const arma::mat& X);

  // dY = dL/d(output) -> dL/dX. Layers in reverse order, each ASSIGNING its gradients:
  // dY_{k-1} = layer_k.backward(dY_k).
  arma::mat backward(const arma::mat& dY);

  // The same parameter gradients as backward, without dL/dX (the input is data): the layers
  // below the lowest one with parameters are skipped, and that one runs backward_parameters.
  // What training calls: the first Linear's dX = W^T dY is the largest product it saves.
  void backward_parameters(const arma::mat& dY);

  // backward_parameters(dY) and the optimiser's step in one pass down the layers: each layer's
  // parameters are updated (Layer::backward_and_update) as soon as its backward has run, while
  // its gradients are still in the cache, and a Linear layer at batch 1 under momentum SGD
  // never stores dW. What training calls. The values and the optimiser's state end as
  // backward_parameters(dY) then update's step() leave them, bit for bit
  // (checks/check_fused_update.cpp); the grads of fused parameters are not written.
  void backward_and_update(const arma::mat& dY, ParameterUpdate& update);

  // Every layer's parameters, named "<index>.<name>": "0.W", "0.b", "1.gamma", ...
  // The pointers stay valid while the layers do (adding layers does not move them).
  std::vector<Parameter> parameters();
  // Every layer's non-trainable state, named the same way: "1.running_mean", ...
  std::vector<Parameter> state();

  // Train or eval, for every layer.
  void set_mode(Mode mode);
  Mode mode() const { return mode_; }

  // Fills every gradient with 0 (shapes kept). backward assigns, so training does not need
  // this; it is for code that accumulates gradients over several batches by hand.
  void zero_grad();

  // One line per layer: index, name, parameter shapes; then the parameter count.
  std::string describe() const;

  // The number of trainable numbers (the elements of every parameter).
  arma::uword parameter_count() const;

  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t index);
  const Layer& layer(std::size_t index) const;

 private:
  std::size_t lowest_with_parameters() const;  // layers_.size() when none has any
  arma::mat forward_rest(arma::mat Y);  // layers 1.. on the first layer's output Y
  std::vector<std::unique_ptr<Layer>> layers_;
  Mode mode_ = Mode::train;
};

}  // namespace gradlab::nn
