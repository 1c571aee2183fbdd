#pragma once
// The affine op as a checkable function, with or without its most common bug (dX = W dY instead
// of W^T dY): shared by the checker's tests and the Taylor test's, which must both catch it.
#include "gradlab/check/checker.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/random.hpp"

#include <memory>
#include <vector>

namespace gradlab::checks {

// W (4 x 4), b, X (4 x 4): square, so the missing transpose still has the right shape.
inline check::Differentiable affine_with(bool transpose_in_dX) {
  struct Data {
    arma::mat W, b, X;
  };
  auto d = std::make_shared<Data>();
  Rng rng(4);
  d->W = random_normal(4, 4, rng);
  d->b = random_normal(4, 1, rng);
  d->X = random_normal(4, 4, rng);
  return {{{"W", &d->W}, {"b", &d->b}, {"X", &d->X}},
          [d] { return ops::affine_forward(d->W, d->b, d->X); },
          [d, transpose_in_dX](const arma::mat& G) {
            ops::AffineGrads g = ops::affine_backward(G, d->W, d->X);
            if (!transpose_in_dX) g.dX = d->W * G;  // the bug: W dY instead of W^T dY
            return std::vector<arma::mat>{g.dW, g.db, g.dX};
          },
          d};
}

}  // namespace gradlab::checks
