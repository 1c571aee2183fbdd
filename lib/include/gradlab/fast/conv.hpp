#pragma once
// The fast twin of ops::conv2d_forward and ops::conv2d_backward: im2col and one matrix product
// (the BLAS's GEMM) per pass, where the reference sums window by window. Same equations, same
// layout (ops/image.hpp, ops/conv2d.hpp), other summation order: the results agree with the
// reference to rounding, about 1e-15 relative, not bit for bit (checks/check_fast_kernels.cpp
// compares them over strides, paddings and non-square images and kernels).
//
// With P = Ho*Wo output positions and Q = C*kh*kw taps per window, image by image:
//   patches_n = im2col(X_n)      P x Q     row p: the window of position p, tap
//                                          q = c*kh*kw + u*kw + v in column q (0 on padding)
//   Y_n = patches_n W^T + b^T    P x K     one GEMM; image n's column of Y, read as P x K
//                                          (kernel k's P outputs in column k, ops/image.hpp), is
//                                          that product's own layout: written in place
// and backward, with dZ_n = image n's column of dY read the same way (no copy):
//   db += column sums of dZ_n,  dW += dZ_n^T patches_n (the sum over positions and images),
//   dX_n = col2im(dZ_n W): every tap's gradient added back to the entry it read.
// One image's patches (P*Q numbers) stay in the cache from im2col through its products. The
// images are independent, one slice of them per thread (fast/parallel.hpp); in backward each
// slice keeps its own dW and db, added in slice order.
#include "gradlab/ops/conv2d.hpp"

#include <armadillo>

namespace gradlab::fast {

// = ops::conv2d_forward(X, in, W, b, options), to rounding.
arma::mat conv2d_forward(const arma::mat& X, const ops::ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const ops::Conv2dOptions& options);

// = ops::conv2d_backward(dY, X, in, W, options), to rounding.
ops::Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ops::ImageShape& in,
                                 const arma::mat& W, const ops::Conv2dOptions& options);

// The im2col matrix of a batch: (P*B) x Q, row p + P*b the window of position p of image b,
// the images' patches_n stacked. Public for the benchmark's breakdown and the checks.
arma::mat im2col(const arma::mat& X, const ops::ImageShape& in, const ops::Conv2dOptions& options);

}  // namespace gradlab::fast
