#pragma once
// The fast twin of ops::conv2d_forward and ops::conv2d_backward: im2col and one matrix product
// (the BLAS's GEMM) per pass, where the reference sums window by window. Same equations, same
// layout (ops/image.hpp, ops/conv2d.hpp), other summation order: the results agree with the
// reference to rounding, about 1e-15 relative, not bit for bit (checks/check_fast_kernels.cpp
// compares them over strides, paddings and non-square images and kernels).
//
// With P = Ho*Wo output positions and Q = C*kh*kw taps per window:
//   patches = im2col(X)          Q x (P*B)   column p + P*b: the window of position p of image b,
//                                            tap q = c*kh*kw + u*kw + v in row q (0 on padding)
//   Z = W patches                K x (P*B)   one GEMM: the forward
//   Y[k*P + p, b] = Z(k, p + P*b) + b[k]     (the layout: kernel k's P outputs in one block)
// and backward, from dZ, dY in Z's arrangement:
//   db = row sums of dZ,  dW = dZ patches^T (one GEMM, the sum over positions and the batch),
//   dpatches = W^T dZ (one GEMM),  dX = col2im(dpatches): every tap added back to its entry.
#include "gradlab/ops/conv2d.hpp"

#include <armadillo>

namespace gradlab::fast {

// = ops::conv2d_forward(X, in, W, b, options), to rounding.
arma::mat conv2d_forward(const arma::mat& X, const ops::ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const ops::Conv2dOptions& options);

// = ops::conv2d_backward(dY, X, in, W, options), to rounding.
ops::Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ops::ImageShape& in,
                                 const arma::mat& W, const ops::Conv2dOptions& options);

// The im2col matrix of a batch: Q x (P*B), as above. Public for the benchmark's breakdown and
// the checks.
arma::mat im2col(const arma::mat& X, const ops::ImageShape& in, const ops::Conv2dOptions& options);

}  // namespace gradlab::fast
