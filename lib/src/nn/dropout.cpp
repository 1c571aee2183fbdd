#include "gradlab/nn/dropout.hpp"

#include "gradlab/ops/dropout.hpp"
#include "gradlab/shape.hpp"
#include "layer_checks.hpp"

namespace gradlab::nn {

Dropout::Dropout(double p, std::uint64_t seed) : p_(p), rng_(seed) {
  require(p >= 0.0 && p < 1.0, "Dropout",
          [&] { return "p = " + detail::number(p) + " is outside [0, 1)"; });
}

std::string Dropout::name() const { return "Dropout(" + detail::number(p_) + ")"; }

void Dropout::set_frozen_mask(bool frozen) {
  if (frozen && !frozen_) frozen_ = rng_;  // save the state the masks will be drawn from
  if (!frozen) frozen_.reset();
}

arma::mat Dropout::forward(const arma::mat& X) {
  // X: D x B  ->  Y: D x B
  detail::require_input(*this, X, 0);
  rows_ = X.n_rows;
  cols_ = X.n_cols;
  cached_mode_ = mode_;
  if (mode_ == Mode::eval) return X;  // Y = X
  // mask = 1[u >= p] / (1 - p),  Y = X ⊙ mask
  ops::DropoutForward f;
  if (frozen_) {
    Rng replay = *frozen_;  // a copy: the saved state never moves, so the mask repeats
    f = ops::dropout_forward(X, p_, replay);
  } else {
    f = ops::dropout_forward(X, p_, rng_);
  }
  mask_ = std::move(f.mask);
  return std::move(f.Y);
}

arma::mat Dropout::backward(const arma::mat& dY) {
  // dY: D x B.  Forward was Y = X ⊙ mask (linear in X once the mask is drawn), so
  // dX = dY ⊙ mask;  in eval mode forward was Y = X, so dX = dY
  detail::require_upstream(*this, dY, rows_, cols_);
  if (cached_mode_ == Mode::eval) return dY;
  return ops::dropout_backward(dY, mask_);
}

}  // namespace gradlab::nn
