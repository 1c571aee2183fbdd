#pragma once
// Modules on the autograd tape (report 000's Module, ModuleList and feed-forward network).
// A module holds Parameters and child modules; forward builds the graph; backward is the
// loss tensor's: no module writes a backward.
//
//   Rng rng(1);
//   FeedForward net({784, 100, 100, 10}, /*tanh=*/false, rng);
//   optim::SGD sgd(net.optimizer_parameters(), ...);   // the existing optimisers
//   net.zero_grad();                                    // leaves accumulate: clear first
//   Tensor L = softmax_cross_entropy(net(Tensor(X)), labels);
//   L.backward();
//   sgd.step();
#include "gradlab/autograd/composite.hpp"
#include "gradlab/nn/layer.hpp"
#include "gradlab/random.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::autograd {

class Module {
 public:
  virtual ~Module() = default;
  virtual Tensor forward(const Tensor& X) = 0;
  Tensor operator()(const Tensor& X) { return forward(X); }
  virtual std::string name() const = 0;

  // Every Parameter, this module's own first, then each child's, named "<child>.<name>":
  // "0.W", "0.b", "1.gamma", ... (the same names as nn::Sequential gives a similar chain).
  std::vector<std::pair<std::string, Parameter>> named_parameters() const;
  std::vector<Parameter> parameters() const;
  // The same list as the optimisers in gradlab::optim take it: value and grad point into the
  // Parameters' nodes (they stay valid while this module lives).
  std::vector<gradlab::Parameter> optimizer_parameters() const;
  // grad = 0 for every parameter (call before each backward: leaves accumulate).
  void zero_grad();

 protected:
  Parameter add_parameter(const std::string& name, arma::mat value);
  void add_child(const std::string& name, std::shared_ptr<Module> child);

 private:
  std::vector<Parameter> parameters_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
};

// An ordered list of modules; called, it applies them in order. Children are named by index.
class ModuleList : public Module {
 public:
  void push_back(std::shared_ptr<Module> module);
  Tensor forward(const Tensor& X) override;
  std::string name() const override { return "ModuleList"; }
  std::size_t size() const { return modules_.size(); }
  Module& operator[](std::size_t i) { return *modules_.at(i); }

 private:
  std::vector<std::shared_ptr<Module>> modules_;
};

// Y = W X + b with W: out x in (Glorot uniform from rng), b: out x 1 (zeros).
class Linear : public Module {
 public:
  Linear(arma::uword in, arma::uword out, Rng& rng);
  Tensor forward(const Tensor& X) override { return affine(W, b, X); }
  std::string name() const override;
  Parameter W, b;
};

// Batch normalisation (training mode only), composed from primitives: see composite.hpp.
// gamma = 1, beta = 0 (D x 1).
class BatchNorm : public Module {
 public:
  explicit BatchNorm(arma::uword features);
  Tensor forward(const Tensor& X) override { return batchnorm(X, gamma, beta); }
  std::string name() const override;
  Parameter gamma, beta;
};

class ReLU : public Module {
 public:
  Tensor forward(const Tensor& X) override { return relu(X); }
  std::string name() const override { return "ReLU"; }
};

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& X) override { return tanh(X); }
  std::string name() const override { return "Tanh"; }
};

// Report 000's feed-forward network. sizes = {input, hidden..., output}; every hidden layer
// is Linear -> [BatchNorm] -> ReLU (or Tanh when tanh is true); the last Linear returns logits.
// The layout and the names match nn::make_mlp(sizes, "relu"/"tanh", batchnorm, 0,
// "glorot_uniform", rng), and so do the weights for the same seed (both draw W layer by layer).
class FeedForward : public ModuleList {
 public:
  FeedForward(const std::vector<arma::uword>& sizes, bool tanh, Rng& rng, bool batchnorm = false);
  std::string name() const override { return "FeedForward"; }
};

}  // namespace gradlab::autograd
