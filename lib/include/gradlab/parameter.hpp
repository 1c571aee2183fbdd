#pragma once
// A trainable tensor as the layers (nn/), the optimisers (optim/) and the checkers see it: its
// value and the gradient that the last backward assigned. Both point into the object that owns
// them (a layer); a Parameter owns nothing.
#include <armadillo>

#include <string>

namespace gradlab {

struct Parameter {
  std::string name;  // "W", "b", "gamma"; Sequential prefixes the layer's index: "0.W"
  arma::mat* value;
  arma::mat* grad;
};

}  // namespace gradlab
