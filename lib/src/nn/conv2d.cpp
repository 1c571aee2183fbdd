#include "gradlab/nn/conv2d.hpp"

#include "gradlab/fast/conv.hpp"
#include "gradlab/shape.hpp"
#include "layer_checks.hpp"

namespace gradlab::nn {

Conv2d::Conv2d(const ops::ImageShape& in, arma::uword kernels, const ops::Conv2dOptions& options)
    : in_(in), out_(ops::conv2d_output_shape(in, kernels, options, "Conv2d")), options_(options) {
  const arma::uword fan_in = in.channels * options.kernel_h * options.kernel_w;
  W.zeros(kernels, fan_in);
  b.zeros(kernels);
  dW.zeros(kernels, fan_in);
  db.zeros(kernels);
}

std::string Conv2d::name() const {
  return "Conv2d(" + ops::to_string(in_) + " -> " + ops::to_string(out_) + ", " +
         std::to_string(options_.kernel_h) + "x" + std::to_string(options_.kernel_w) + ", stride " +
         std::to_string(options_.stride) + ", padding " + std::to_string(options_.padding) + ")";
}

arma::mat Conv2d::forward(const arma::mat& X) {
  // X: (C*H*W) x B  ->  Y[k, oi, oj] = b[k] + sum_{c,u,v} W[k, c, u, v] Xp[c, oi s + u, oj s + v]
  detail::require_input(*this, X, in_.size());
  X_ = X;
  return fast::conv2d_forward(X_, in_, W, b, options_);
}

arma::mat Conv2d::forward(arma::mat&& X) {
  detail::require_input(*this, X, in_.size());
  X_ = std::move(X);
  return fast::conv2d_forward(X_, in_, W, b, options_);
}

arma::mat Conv2d::backward(const arma::mat& dY) {
  // dY: (K*Ho*Wo) x B.  Forward was a sum over positions with shared weights, so
  // (docs/derivations/conv2d.md) dW and db sum over positions and the batch, and dX is the
  // transposed convolution of dY with W.
  detail::require_upstream(*this, dY, out_.size(), X_.n_cols);
  ops::Conv2dGrads g = fast::conv2d_backward(dY, X_, in_, W, options_);
  dW = std::move(g.dW);  // assigned, never accumulated
  db = std::move(g.db);
  return std::move(g.dX);
}

std::vector<Parameter> Conv2d::parameters() { return {{"W", &W, &dW}, {"b", &b, &db}}; }

}  // namespace gradlab::nn
