#include "gradlab/ops/sigmoid.hpp"

#include "gradlab/shape.hpp"

#include <cmath>

namespace gradlab::ops {

arma::mat sigmoid_forward(const arma::mat& X) {
  arma::mat Y = X;
  Y.transform([](double x) {
    if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);  // x < 0: exp(x) <= 1, no overflow
    return e / (1.0 + e);
  });
  return Y;
}

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  require_same_shape("sigmoid_backward", "dY", dY, "Y", Y);
  return dY % Y % (1.0 - Y);  // dX = dY ⊙ Y ⊙ (1 - Y)
}

}  // namespace gradlab::ops
