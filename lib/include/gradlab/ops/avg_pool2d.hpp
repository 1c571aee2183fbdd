#pragma once
// 2-D average pooling. Derivation: docs/derivations/avg_pool2d.md. Layout of images:
// ops/image.hpp.
#include "gradlab/ops/image.hpp"

#include <armadillo>

namespace gradlab::ops {

// X: (C*H*W) x B images of shape in. Each channel separately, Ho = (H - wh) / s + 1,
// Wo = (W - ww) / s + 1 (wh x ww: the window, s: the stride):
//   Y[c, oi, oj] = (1 / (wh ww)) sum_{u, v} X[c, oi*s + u, oj*s + v]
arma::mat avg_pool2d_forward(const arma::mat& X, const ImageShape& in, const Pool2dOptions& options);

// dY: (C*Ho*Wo) x B. Linear in X, so backward needs no X:
//   dX[c, i, j] = (1 / (wh ww)) sum of dY[c, oi, oj] over the windows that hold (i, j)
//   (0 where no window reaches; overlapping windows add)
arma::mat avg_pool2d_backward(const arma::mat& dY, const ImageShape& in, const Pool2dOptions& options);

}  // namespace gradlab::ops
