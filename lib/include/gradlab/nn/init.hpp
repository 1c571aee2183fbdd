#pragma once
// Weight initialisers. Each fills a weight matrix W (out x in: fan_in = in = W.n_cols inputs
// feed each unit, fan_out = out = W.n_rows units) from a generator passed in, column by column,
// so the same seed gives the same weights. Biases start at zero.
#include "gradlab/nn/conv2d.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/sequential.hpp"
#include "gradlab/random.hpp"

#include <string>
#include <vector>

namespace gradlab::nn {

// Glorot (Xavier) uniform, report 000: W_ij ~ U(-a, a),  a = sqrt(6 / (fan_in + fan_out)),
// so Var(W_ij) = a^2 / 3 = 2 / (fan_in + fan_out): the variance of the activations and of the
// gradients are both kept roughly constant from layer to layer (for tanh-like units).
void glorot_uniform(arma::mat& W, Rng& rng);

// He (Kaiming) normal: W_ij ~ N(0, 2 / fan_in): ReLU zeroes half of its inputs, and the 2
// makes up for it, keeping the forward variance constant.
void he_normal(arma::mat& W, Rng& rng);

// Standard normal, report 001: W_ij ~ N(0, 1), whatever the fan-in.
void standard_normal(arma::mat& W, Rng& rng);

// b = 0.
void zeros(arma::mat& b);

// The names the functions above go by, in that order: "glorot_uniform", "he_normal",
// "standard_normal".
const std::vector<std::string>& init_names();

// W by the named initialiser, b = 0. Throws std::invalid_argument for an unknown name.
void initialise(Linear& layer, const std::string& init, Rng& rng);

// W by the named initialiser, b = 0, for a convolution: W is K x (C*kh*kw), so fan_in = C*kh*kw
// (the inputs of one output) and glorot's fan_out is K (PyTorch's is K*kh*kw).
void initialise(Conv2d& layer, const std::string& init, Rng& rng);

// Every Linear and Conv2d of net in layer order (the draws go layer by layer); other layers are
// left as they are. Throws std::invalid_argument for an unknown name.
void initialise(Sequential& net, const std::string& init, Rng& rng);

}  // namespace gradlab::nn
