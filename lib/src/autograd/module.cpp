#include "gradlab/autograd/module.hpp"

#include "gradlab/nn/init.hpp"
#include "gradlab/shape.hpp"

namespace gradlab::autograd {

std::vector<std::pair<std::string, Parameter>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Parameter>> all;
  for (const Parameter& p : parameters_) all.emplace_back(p.name(), p);
  for (const auto& [child_name, child] : children_)
    for (auto& [name, p] : child->named_parameters()) all.emplace_back(child_name + "." + name, p);
  return all;
}

std::vector<Parameter> Module::parameters() const {
  std::vector<Parameter> all;
  for (auto& [name, p] : named_parameters()) all.push_back(p);
  return all;
}

std::vector<gradlab::Parameter> Module::optimizer_parameters() const {
  std::vector<gradlab::Parameter> all;
  for (auto& [name, p] : named_parameters())
    all.push_back({name, &p.node()->data, &p.node()->grad});  // the node outlives the handle
  return all;
}

void Module::zero_grad() {
  for (Parameter& p : parameters()) p.zero_grad();
}

Parameter Module::add_parameter(const std::string& name, arma::mat value) {
  parameters_.emplace_back(name, std::move(value));
  return parameters_.back();  // a handle to the same node
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> child) {
  require(child != nullptr, "Module::add_child",
          [&] { return "the module '" + name + "' is null"; });
  children_.emplace_back(name, std::move(child));
}

void ModuleList::push_back(std::shared_ptr<Module> module) {
  add_child(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

Tensor ModuleList::forward(const Tensor& X) {
  Tensor Y = X;
  for (const auto& m : modules_) Y = m->forward(Y);
  return Y;
}

namespace {
arma::mat glorot(arma::uword out, arma::uword in, Rng& rng) {
  arma::mat W(out, in);
  nn::glorot_uniform(W, rng);
  return W;
}
}  // namespace

Linear::Linear(arma::uword in, arma::uword out, Rng& rng)
    : W(add_parameter("W", glorot(out, in, rng))),
      b(add_parameter("b", arma::mat(out, 1, arma::fill::zeros))) {}

std::string Linear::name() const {
  return "Linear(" + std::to_string(W.n_cols()) + ", " + std::to_string(W.n_rows()) + ")";
}

BatchNorm::BatchNorm(arma::uword features)
    : gamma(add_parameter("gamma", arma::mat(features, 1, arma::fill::ones))),
      beta(add_parameter("beta", arma::mat(features, 1, arma::fill::zeros))) {}

std::string BatchNorm::name() const { return "BatchNorm(" + std::to_string(gamma.n_rows()) + ")"; }

FeedForward::FeedForward(const std::vector<arma::uword>& sizes, bool tanh, Rng& rng,
                         bool batchnorm) {
  require(sizes.size() >= 2, "FeedForward", "needs at least an input and an output size");
  for (arma::uword s : sizes) require(s > 0, "FeedForward", "a layer size is 0");
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    push_back(std::make_shared<Linear>(sizes[i], sizes[i + 1], rng));
    if (i + 2 == sizes.size()) break;  // the last Linear returns logits
    if (batchnorm) push_back(std::make_shared<BatchNorm>(sizes[i + 1]));
    if (tanh)
      push_back(std::make_shared<Tanh>());
    else
      push_back(std::make_shared<ReLU>());
  }
}

}  // namespace gradlab::autograd
