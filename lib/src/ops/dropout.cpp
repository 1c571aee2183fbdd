#include "gradlab/ops/dropout.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

DropoutForward dropout_forward(const arma::mat& X, double p, std::mt19937_64& rng) {
  require(p >= 0.0 && p < 1.0, "dropout_forward",
          [&] { return "p = " + std::to_string(p) + " is outside [0, 1)"; });
  const double keep_scale = 1.0 / (1.0 - p);
  arma::mat mask(arma::size(X));
  for (double& m : mask) {
    // u uniform in [0, 1) from the top 53 bits: the same numbers on every platform
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    m = u >= p ? keep_scale : 0.0;
  }
  return {X % mask, std::move(mask)};
}

arma::mat dropout_backward(const arma::mat& dY, const arma::mat& mask) {
  require_same_shape("dropout_backward", "dY", dY, "mask", mask);
  return dY % mask;
}

}  // namespace gradlab::ops
