#include "gradlab/nn/pool2d.hpp"

#include "gradlab/ops/avg_pool2d.hpp"
#include "gradlab/ops/max_pool2d.hpp"
#include "layer_checks.hpp"

namespace gradlab::nn {

namespace {

std::string pool_name(const char* kind, const ops::ImageShape& in, const ops::ImageShape& out,
                      const ops::Pool2dOptions& o) {
  return std::string(kind) + "(" + ops::to_string(in) + " -> " + ops::to_string(out) + ", " +
         std::to_string(o.window_h) + "x" + std::to_string(o.window_w) + ", stride " +
         std::to_string(o.stride) + ")";
}

}  // namespace

// MaxPool2d -------------------------------------------------------------------------------

MaxPool2d::MaxPool2d(const ops::ImageShape& in, const ops::Pool2dOptions& options)
    : in_(in), out_(ops::pool2d_output_shape(in, options, "MaxPool2d")), options_(options) {}

std::string MaxPool2d::name() const { return pool_name("MaxPool2d", in_, out_, options_); }

arma::mat MaxPool2d::forward(const arma::mat& X) {
  // X: (C*H*W) x B  ->  Y[c, oi, oj] = max over the window of X[c, oi s + u, oj s + v]
  detail::require_input(*this, X, in_.size());
  ops::MaxPool2dForward f = ops::max_pool2d_forward(X, in_, options_);
  argmax_ = std::move(f.argmax);
  return std::move(f.Y);
}

arma::mat MaxPool2d::backward(const arma::mat& dY) {
  // dY: (C*Ho*Wo) x B.  Each output copied one entry, so its gradient goes to that entry.
  detail::require_upstream(*this, dY, out_.size(), argmax_.n_cols);
  return ops::max_pool2d_backward(dY, argmax_, in_);
}

// AvgPool2d -------------------------------------------------------------------------------

AvgPool2d::AvgPool2d(const ops::ImageShape& in, const ops::Pool2dOptions& options)
    : in_(in), out_(ops::pool2d_output_shape(in, options, "AvgPool2d")), options_(options) {}

std::string AvgPool2d::name() const { return pool_name("AvgPool2d", in_, out_, options_); }

arma::mat AvgPool2d::forward(const arma::mat& X) {
  // X: (C*H*W) x B  ->  Y[c, oi, oj] = the mean of X over the window
  detail::require_input(*this, X, in_.size());
  batch_ = X.n_cols;
  return ops::avg_pool2d_forward(X, in_, options_);
}

arma::mat AvgPool2d::backward(const arma::mat& dY) {
  // dY: (C*Ho*Wo) x B.  A mean of n entries gives each of them 1/n of its gradient.
  detail::require_upstream(*this, dY, batch_ == 0 ? 0 : out_.size(), batch_);
  return ops::avg_pool2d_backward(dY, in_, options_);
}

}  // namespace gradlab::nn
