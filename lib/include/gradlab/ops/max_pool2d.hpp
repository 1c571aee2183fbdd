#pragma once
// 2-D max pooling. Derivation: docs/derivations/max_pool2d.md. Layout of images: ops/image.hpp.
#include "gradlab/ops/image.hpp"

#include <armadillo>

namespace gradlab::ops {

struct MaxPool2dForward {
  arma::mat Y;        // (C*Ho*Wo) x B
  arma::umat argmax;  // shaped like Y: the row of X that each output copied (the cache)
};

// X: (C*H*W) x B images of shape in. Each channel separately, Ho = (H - wh) / s + 1,
// Wo = (W - ww) / s + 1 (wh x ww: the window, s: the stride):
//   Y[c, oi, oj] = max_{u, v} X[c, oi*s + u, oj*s + v]
// Ties: the first maximum in row-major window order (u, then v) is the one chosen, as PyTorch
// does. A NaN in a window wins (it propagates, as in PyTorch).
MaxPool2dForward max_pool2d_forward(const arma::mat& X, const ImageShape& in,
                                    const Pool2dOptions& options);

// dY: (C*Ho*Wo) x B, argmax from the forward. The maximum is a copy of one entry, so the
// gradient goes to that entry alone (a subgradient at a tie: the one the forward chose):
//   dX[r] = sum of dY over the outputs whose argmax is r   (0 for entries no window chose;
//           overlapping windows may choose the same entry, and then their gradients add)
arma::mat max_pool2d_backward(const arma::mat& dY, const arma::umat& argmax, const ImageShape& in);

}  // namespace gradlab::ops
