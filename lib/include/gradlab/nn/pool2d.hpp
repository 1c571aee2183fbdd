#pragma once
// The pooling layers: each channel of each image shrunk window by window, to its maximum
// (MaxPool2d) or its mean (AvgPool2d). Their equations are ops::max_pool2d_forward / backward
// and ops::avg_pool2d_forward / backward (docs/derivations/max_pool2d.md, avg_pool2d.md). No
// parameters. Images are columns, C*H*W rows each, in the order of ops/image.hpp.
#include "gradlab/nn/layer.hpp"
#include "gradlab/ops/image.hpp"

namespace gradlab::nn {

class MaxPool2d : public Layer {
 public:
  // Images of shape `in`; window and stride from `options` (default 2x2, stride 2: H and W
  // halved). Throws std::invalid_argument when the window does not fit the image.
  MaxPool2d(const ops::ImageShape& in, const ops::Pool2dOptions& options = {2, 2, 2});
  // X: (C*H*W) x B -> Y: (C*Ho*Wo) x B.  Caches which entry each output copied (argmax).
  arma::mat forward(const arma::mat& X) override;
  // dX: dY routed to the entries the forward chose (the first maximum of a tie), 0 elsewhere.
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override;  // "MaxPool2d(8x28x28 -> 8x14x14, 2x2, stride 2)"
  Structure structure() const override { return Structure::per_column; }
  const ops::ImageShape& in_shape() const { return in_; }
  const ops::ImageShape& out_shape() const { return out_; }

 private:
  ops::ImageShape in_, out_;
  ops::Pool2dOptions options_;
  arma::umat argmax_;
};

class AvgPool2d : public Layer {
 public:
  AvgPool2d(const ops::ImageShape& in, const ops::Pool2dOptions& options = {2, 2, 2});
  // X: (C*H*W) x B -> Y: (C*Ho*Wo) x B, the mean of each window.  Caches only the batch size.
  arma::mat forward(const arma::mat& X) override;
  // dX: each output's dY shared equally by the entries of its window.
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override;  // "AvgPool2d(8x28x28 -> 8x14x14, 2x2, stride 2)"
  Structure structure() const override { return Structure::per_column; }
  const ops::ImageShape& in_shape() const { return in_; }
  const ops::ImageShape& out_shape() const { return out_; }

 private:
  ops::ImageShape in_, out_;
  ops::Pool2dOptions options_;
  arma::uword batch_ = 0;  // columns of the last forward (0: none yet)
};

}  // namespace gradlab::nn
