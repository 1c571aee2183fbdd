#pragma once
// Images to feature vectors, between the last image layer and the first Linear. In gradlab's
// layout (ops/image.hpp) an image already is a column of C*H*W numbers, so Flatten changes only
// how the rows are read: Y = X and dX = dY. It is a layer so that a network says where its
// images end, and so that a wrong image shape is caught there, by name.
#include "gradlab/nn/layer.hpp"
#include "gradlab/ops/image.hpp"

namespace gradlab::nn {

class Flatten : public Layer {
 public:
  explicit Flatten(const ops::ImageShape& in);
  // X: (C*H*W) x B -> Y = X, read as C*H*W features per column.
  arma::mat forward(const arma::mat& X) override;
  arma::mat forward(arma::mat&& X) override;
  // dX = dY.
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override;  // "Flatten(16x7x7 -> 784)"
  Structure structure() const override { return Structure::per_column; }
  const ops::ImageShape& in_shape() const { return in_; }

 private:
  ops::ImageShape in_;
  arma::uword batch_ = 0;  // columns of the last forward (0: none yet)
};

}  // namespace gradlab::nn
