#include "gradlab/nn/flatten.hpp"

#include "gradlab/shape.hpp"
#include "layer_checks.hpp"

namespace gradlab::nn {

Flatten::Flatten(const ops::ImageShape& in) : in_(in) {
  require(in.size() > 0, "Flatten", [&] { return "the image " + ops::to_string(in) + " is empty"; });
}

std::string Flatten::name() const {
  return "Flatten(" + ops::to_string(in_) + " -> " + std::to_string(in_.size()) + ")";
}

arma::mat Flatten::forward(const arma::mat& X) {
  // X: (C*H*W) x B -> Y = X (the same numbers, read as features)
  detail::require_input(*this, X, in_.size());
  batch_ = X.n_cols;
  return X;
}

arma::mat Flatten::forward(arma::mat&& X) {
  detail::require_input(*this, X, in_.size());
  batch_ = X.n_cols;
  return std::move(X);
}

arma::mat Flatten::backward(const arma::mat& dY) {
  // dX = dY
  detail::require_upstream(*this, dY, batch_ == 0 ? 0 : in_.size(), batch_);
  return dY;
}

}  // namespace gradlab::nn
