#pragma once
// 2-D convolution (cross-correlation, as in every deep-learning library), a batch of images at
// a time. Derivation: docs/derivations/conv2d.md. Layout of images: ops/image.hpp.
//
// Kernels K x C x kh x kw are the matrix W of shape K x (C*kh*kw): row k is PyTorch's
// weight[k].flatten(), entry (k, c, u, v) at W(k, c*kh*kw + u*kw + v). The bias b has K entries.
// The reference code is the equation itself, a direct sum over positions, channels and kernel
// offsets; the fast im2col + GEMM form lives in fast/conv.hpp.
#include "gradlab/ops/image.hpp"

#include <armadillo>

namespace gradlab::ops {

// X: (C*H*W) x B images of shape in (C x H x W), W: K x (C*kh*kw), b: K.
// Y: (K*Ho*Wo) x B with Ho = (H + 2p - kh) / s + 1, Wo = (W + 2p - kw) / s + 1 (s: stride,
// p: padding), and, with Xp the image framed by p zeros,
//   Y[k, oi, oj] = b[k] + sum_{c, u, v} W[k, c, u, v] Xp[c, oi*s + u, oj*s + v]
arma::mat conv2d_forward(const arma::mat& X, const ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const Conv2dOptions& options);

struct Conv2dGrads {
  arma::mat dX;  // (C*H*W) x B
  arma::mat dW;  // K x (C*kh*kw)
  arma::vec db;  // K
};

// dY: (K*Ho*Wo) x B. Every weight is used at every output position of every image (weight
// sharing), so its gradient sums over both:
//   dW[k, c, u, v] = sum_b sum_{oi, oj} dY[k, oi, oj] Xp[c, oi*s + u, oj*s + v]
//                    (the correlation of the input with dY)
//   db[k]          = sum_b sum_{oi, oj} dY[k, oi, oj]
//   dX[c, i, j]    = sum_{k, u, v} dY[k, oi, oj] W[k, c, u, v] over oi*s + u = i + p,
//                    oj*s + v = j + p (the transposed convolution: at stride 1, the full
//                    convolution of dY with the flipped kernel)
Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ImageShape& in,
                            const arma::mat& W, const Conv2dOptions& options);

}  // namespace gradlab::ops
