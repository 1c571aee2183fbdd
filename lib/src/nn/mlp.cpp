#include "gradlab/nn/mlp.hpp"

#include "gradlab/nn/activations.hpp"
#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/dropout.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/shape.hpp"

#include "layer_checks.hpp"

#include <algorithm>

namespace gradlab::nn {

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names{"relu", "tanh", "leaky_relu", "sigmoid"};
  return names;
}

std::unique_ptr<Layer> make_activation(const std::string& name) {
  if (name == "relu") return std::make_unique<ReLU>();
  if (name == "tanh") return std::make_unique<Tanh>();
  if (name == "leaky_relu") return std::make_unique<LeakyReLU>();
  if (name == "sigmoid") return std::make_unique<Sigmoid>();
  throw std::invalid_argument("make_activation: unknown activation '" + name +
                              "' (known: relu, tanh, leaky_relu, sigmoid)");
}

Sequential make_mlp(const std::vector<arma::uword>& sizes, const std::string& activation,
                    bool batchnorm, double dropout, const std::string& init, Rng& rng) {
  // Check every argument before drawing anything, so a bad call leaves rng untouched.
  require(sizes.size() >= 2, "make_mlp", [&] {
    return "sizes has " + std::to_string(sizes.size()) +
           " entries (need the input width and at least the output width)";
  });
  require(std::find(sizes.begin(), sizes.end(), arma::uword{0}) == sizes.end(), "make_mlp",
          "a layer width is 0");
  make_activation(activation);  // throws for an unknown name
  require(std::find(init_names().begin(), init_names().end(), init) != init_names().end(),
          "make_mlp", [&] {
            return "unknown init '" + init +
                   "' (known: glorot_uniform, he_normal, standard_normal)";
          });
  require(dropout >= 0.0 && dropout < 1.0, "make_mlp",
          [&] { return "dropout = " + detail::number(dropout) + " is outside [0, 1)"; });

  Sequential net;
  for (std::size_t k = 0; k + 1 < sizes.size(); ++k) {
    auto linear = std::make_unique<Linear>(sizes[k], sizes[k + 1]);
    initialise(*linear, init, rng);
    net.add(std::move(linear));
    const bool last = k + 2 == sizes.size();
    if (last) break;  // the output layer returns logits: no normalisation, activation, dropout
    if (batchnorm) net.add(std::make_unique<BatchNorm>(sizes[k + 1]));
    net.add(make_activation(activation));
    if (dropout > 0.0) net.add(std::make_unique<Dropout>(dropout, rng()));
  }
  return net;
}

}  // namespace gradlab::nn
