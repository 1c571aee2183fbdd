#pragma once
// The multilayer perceptron builder used by the labs.
#include "gradlab/nn/sequential.hpp"
#include "gradlab/random.hpp"

#include <memory>
#include <string>
#include <vector>

namespace gradlab::nn {

// "relu", "tanh", "leaky_relu" (slope 0.01), "sigmoid".
const std::vector<std::string>& activation_names();

// A new activation layer by name. Throws std::invalid_argument for an unknown name.
std::unique_ptr<Layer> make_activation(const std::string& name);

// sizes = {784, 100, 100, 10}: the input width, the hidden widths, the number of outputs.
// Every hidden layer is  Linear -> [BatchNorm] -> activation -> [Dropout(dropout)]
// (BatchNorm when batchnorm is true, Dropout when dropout > 0); the last Linear stands alone
// and returns logits. E.g. {784, 100, 10}, "relu", true, 0.5:
//   0 Linear(784, 100), 1 BatchNorm(100), 2 ReLU, 3 Dropout(0.5), 4 Linear(100, 10).
// rng is used in layer order: each Linear's W is drawn by `init` (see nn/init.hpp; b = 0), and
// each Dropout takes its seed from one draw. Throws std::invalid_argument for fewer than two
// sizes, a zero size, an unknown activation or init name, or dropout outside [0, 1).
Sequential make_mlp(const std::vector<arma::uword>& sizes, const std::string& activation,
                    bool batchnorm, double dropout, const std::string& init, Rng& rng);

}  // namespace gradlab::nn
