#pragma once
// The convolution layer: Y = W * X + b, a bank of K kernels slid over each image. Its equations
// are ops::conv2d_forward and ops::conv2d_backward (docs/derivations/conv2d.md); it runs their
// fast twins (fast/conv.hpp: im2col and one product), which checks/check_fast_conv.cpp compares
// with the reference. Images are columns, C*H*W rows each, in the order of ops/image.hpp.
#include "gradlab/nn/layer.hpp"
#include "gradlab/ops/image.hpp"

namespace gradlab::nn {

class Conv2d : public Layer {
 public:
  // Images of shape `in` (C x H x W) to K = `kernels` channels; kernel, stride and padding from
  // `options` (default: 3x3, stride 1, padding 1, which keeps H and W). W: K x (C*kh*kw) and
  // b: K, both zero until an initialiser fills W (nn/init.hpp; make_cnn does). Throws
  // std::invalid_argument when the kernel does not fit the padded image.
  Conv2d(const ops::ImageShape& in, arma::uword kernels,
         const ops::Conv2dOptions& options = {3, 3, 1, 1});

  // X: (C*H*W) x B  ->  Y: (K*Ho*Wo) x B.  Caches X (dW needs it).
  arma::mat forward(const arma::mat& X) override;
  arma::mat forward(arma::mat&& X) override;  // keeps X without a copy

  // dY: (K*Ho*Wo) x B.  Assigns dW (the correlation of X with dY, summed over positions and the
  // batch) and db (dY summed over positions and the batch); returns dX (the transposed
  // convolution of dY with W): (C*H*W) x B.
  arma::mat backward(const arma::mat& dY) override;

  // "W" (K x C*kh*kw) and "b" (K).
  std::vector<Parameter> parameters() override;

  std::string name() const override;  // "Conv2d(1x28x28 -> 8x28x28, 3x3, stride 1, padding 1)"
  // Each image is convolved on its own: column b of Y depends on column b of X alone.
  Structure structure() const override { return Structure::per_column; }
  const ops::ImageShape& in_shape() const { return in_; }
  const ops::ImageShape& out_shape() const { return out_; }
  const ops::Conv2dOptions& options() const { return options_; }

  // Public so that students and initialisers can read and set them; keep their shapes.
  arma::mat W;   // K x (C*kh*kw): row k is kernel k, entry (k, c, u, v) at column c*kh*kw + u*kw + v
  arma::vec b;   // K
  arma::mat dW;  // dL/dW assigned by the last backward
  arma::vec db;  // dL/db assigned by the last backward

 private:
  ops::ImageShape in_, out_;
  ops::Conv2dOptions options_;
  arma::mat X_;
};

}  // namespace gradlab::nn
