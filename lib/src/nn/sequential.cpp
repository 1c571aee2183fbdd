#include "gradlab/nn/sequential.hpp"

#include "gradlab/shape.hpp"

#include <iomanip>
#include <sstream>

namespace gradlab::nn {

Layer& Sequential::add(std::unique_ptr<Layer> layer) {
  require(layer != nullptr, "Sequential::add", "the layer is null");
  layer->set_mode(mode_);  // a new layer joins in the network's mode
  layers_.push_back(std::move(layer));
  return *layers_.back();
}

std::unique_ptr<Layer> Sequential::replace(std::size_t index, std::unique_ptr<Layer> layer) {
  require(layer != nullptr, "Sequential::replace", "the layer is null");
  require(index < layers_.size(), "Sequential::replace",
          "index " + std::to_string(index) + " is past the last layer, " +
              std::to_string(layers_.size()) + " layers");
  layer->set_mode(mode_);
  std::swap(layer, layers_[index]);
  return layer;
}

arma::mat Sequential::forward(const arma::mat& X) {
  // X: in x B.  Y_k = layer_k(Y_{k-1}), Y_{-1} = X
  if (layers_.empty()) return X;
  return forward_rest(layers_.front()->forward(X));
}

arma::mat Sequential::forward(arma::mat&& X) {
  if (layers_.empty()) return std::move(X);
  return forward_rest(layers_.front()->forward(std::move(X)));
}

arma::mat Sequential::forward_borrowed(const arma::mat& X) {
  if (layers_.empty()) return X;
  return forward_rest(layers_.front()->forward_borrowed(X));
}

arma::mat Sequential::forward_rest(arma::mat Y) {
  // Each output passes on by move: a layer that caches its input keeps it without a copy.
  for (std::size_t k = 1; k < layers_.size(); ++k) Y = layers_[k]->forward(std::move(Y));
  return Y;
}

arma::mat Sequential::backward(const arma::mat& dY) {
  // dY: out x B = dL/d(last output).  dY_{k-1} = layer_k.backward(dY_k), last layer first
  arma::mat d = dY;
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) d = (*it)->backward(d);
  return d;  // dL/dX
}

std::size_t Sequential::lowest_with_parameters() const {
  for (std::size_t k = 0; k < layers_.size(); ++k)
    if (!layers_[k]->parameters().empty()) return k;
  return layers_.size();
}

void Sequential::backward_parameters(const arma::mat& dY) {
  // The lowest layer with parameters: nothing below it needs a gradient.
  const std::size_t lowest = lowest_with_parameters();
  if (lowest == layers_.size()) return;  // no parameters: nothing to compute
  arma::mat d = dY;
  for (std::size_t k = layers_.size() - 1; k > lowest; --k) d = layers_[k]->backward(d);
  layers_[lowest]->backward_parameters(d);
}

void Sequential::backward_and_update(const arma::mat& dY, ParameterUpdate& update) {
  update.start_step();
  const std::size_t lowest = lowest_with_parameters();
  arma::mat d = dY;
  for (std::size_t k = layers_.size(); k-- > lowest;)
    d = layers_[k]->backward_and_update(d, update, k > lowest);  // none needed below lowest
  update.finish_step();  // parameters of the optimiser's outside this network, if any
}

namespace {
// Each layer's tensors (parameters or state) under "<index>.<name>".
template <class Get>
std::vector<Parameter> prefixed(const std::vector<std::unique_ptr<Layer>>& layers, Get get) {
  std::vector<Parameter> all;
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (Parameter p : get(*layers[i])) {
      p.name = std::to_string(i) + "." + p.name;
      all.push_back(std::move(p));
    }
  return all;
}
}  // namespace

std::vector<Parameter> Sequential::parameters() {
  return prefixed(layers_, [](Layer& l) { return l.parameters(); });
}

std::vector<Parameter> Sequential::state() {
  return prefixed(layers_, [](Layer& l) { return l.state(); });
}

void Sequential::set_mode(Mode mode) {
  mode_ = mode;
  for (auto& layer : layers_) layer->set_mode(mode);
}

void Sequential::zero_grad() {
  for (Parameter& p : parameters()) p.grad->zeros();
}

arma::uword Sequential::parameter_count() const {
  arma::uword count = 0;
  for (const auto& layer : layers_)
    for (const Parameter& p : layer->parameters()) count += p.value->n_elem;
  return count;
}

std::string Sequential::describe() const {
  std::ostringstream out;
  out << "Sequential: " << layers_.size() << " layers, " << parameter_count()
      << " parameters, " << (mode_ == Mode::train ? "train" : "eval") << " mode\n";
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    std::string shapes;
    for (const Parameter& p : layers_[i]->parameters())
      shapes += (shapes.empty() ? "" : ", ") + p.name + " " + shape_of(*p.value);
    out << std::setw(4) << i << "  " << std::left << std::setw(20) << layers_[i]->name()
        << std::right << shapes << "\n";
  }
  return out.str();
}

Layer& Sequential::layer(std::size_t index) {
  require(index < layers_.size(), "Sequential::layer", [&] {
    return "index " + std::to_string(index) + " but the network has " +
           std::to_string(layers_.size()) + " layers";
  });
  return *layers_[index];
}

const Layer& Sequential::layer(std::size_t index) const {
  require(index < layers_.size(), "Sequential::layer", [&] {
    return "index " + std::to_string(index) + " but the network has " +
           std::to_string(layers_.size()) + " layers";
  });
  return *layers_[index];
}

}  // namespace gradlab::nn
