#include "gradlab/nn/init.hpp"

#include "gradlab/shape.hpp"

#include <algorithm>
#include <cmath>

namespace gradlab::nn {

void glorot_uniform(arma::mat& W, Rng& rng) {
  // W: fan_out x fan_in.  W_ij ~ U(-a, a),  a = sqrt(6 / (fan_in + fan_out))
  require_nonempty("glorot_uniform", "W", W);
  const double fan_in = static_cast<double>(W.n_cols), fan_out = static_cast<double>(W.n_rows);
  const double a = std::sqrt(6.0 / (fan_in + fan_out));
  W = random_uniform(W.n_rows, W.n_cols, rng, -a, a);
}

void he_normal(arma::mat& W, Rng& rng) {
  // W: fan_out x fan_in.  W_ij ~ N(0, 2 / fan_in): standard normal times sqrt(2 / fan_in)
  require_nonempty("he_normal", "W", W);
  const double fan_in = static_cast<double>(W.n_cols);
  W = std::sqrt(2.0 / fan_in) * random_normal(W.n_rows, W.n_cols, rng);
}

void standard_normal(arma::mat& W, Rng& rng) {
  // W: any shape.  W_ij ~ N(0, 1)
  require_nonempty("standard_normal", "W", W);
  W = random_normal(W.n_rows, W.n_cols, rng);
}

void zeros(arma::mat& b) { b.zeros(); }

const std::vector<std::string>& init_names() {
  static const std::vector<std::string> names{"glorot_uniform", "he_normal", "standard_normal"};
  return names;
}

namespace {
std::string joined(const std::vector<std::string>& names) {
  std::string all;
  for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
  return all;
}

// W by the named initialiser.
void draw(arma::mat& W, const std::string& init, Rng& rng) {
  if (init == "glorot_uniform")
    glorot_uniform(W, rng);
  else if (init == "he_normal")
    he_normal(W, rng);
  else if (init == "standard_normal")
    standard_normal(W, rng);
  else
    throw std::invalid_argument("initialise: unknown init '" + init + "' (known: " +
                                joined(init_names()) + ")");
}
}  // namespace

void initialise(Linear& layer, const std::string& init, Rng& rng) {
  draw(layer.W, init, rng);
  zeros(layer.b);
}

void initialise(Conv2d& layer, const std::string& init, Rng& rng) {
  draw(layer.W, init, rng);
  zeros(layer.b);
}

void initialise(Sequential& net, const std::string& init, Rng& rng) {
  // The name is checked even when net has no Linear, so a typo never passes silently.
  require(std::find(init_names().begin(), init_names().end(), init) != init_names().end(),
          "initialise",
          [&] { return "unknown init '" + init + "' (known: " + joined(init_names()) + ")"; });
  for (std::size_t i = 0; i < net.size(); ++i) {
    if (auto* linear = dynamic_cast<Linear*>(&net.layer(i))) initialise(*linear, init, rng);
    if (auto* conv = dynamic_cast<Conv2d*>(&net.layer(i))) initialise(*conv, init, rng);
  }
}

}  // namespace gradlab::nn
