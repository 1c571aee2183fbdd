#pragma once
// The fast twin of ops::conv2d_forward and ops::conv2d_backward: im2col and one matrix product
// (the BLAS's GEMM) per pass, where the reference sums window by window. Same equations, same
// layout (ops/image.hpp, ops/conv2d.hpp), other summation order: the results agree with the
// reference to rounding, about 1e-15 relative, not bit for bit (checks/check_fast_kernels.cpp
// compares them over strides, paddings and non-square images and kernels).
//
// With P = Ho*Wo output positions and Q = C*kh*kw taps per window:
//   patches = im2col(X)          (P*B) x Q   row p + P*b: the window of position p of image b,
//                                            tap q = c*kh*kw + u*kw + v in column q (0 on padding)
//   Z = patches W^T              (P*B) x K   one GEMM: the forward
//   Y[k*P + p, b] = Z(p + P*b, k) + b[k]     (image b's P rows of column k are kernel k's
//                                            block of Y's column b: contiguous copies)
// and backward, from dZ, dY in Z's arrangement:
//   db = column sums of dZ,  dW = dZ^T patches (one GEMM, the sum over positions and the batch),
//   dpatches = dZ W (one GEMM),  dX = col2im(dpatches): every tap added back to its entry.
// Column q of patches, for one image, is the image's channel c shifted by (u, v): im2col and
// col2im copy along it, one slice of images per thread (fast/parallel.hpp). The batch goes
// through in chunks of images whose patches take about 2 MB, so that im2col, the three products
// and col2im work on memory the caches hold; dW and db add the chunks' sums.
#include "gradlab/ops/conv2d.hpp"

#include <armadillo>

namespace gradlab::fast {

// = ops::conv2d_forward(X, in, W, b, options), to rounding.
arma::mat conv2d_forward(const arma::mat& X, const ops::ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const ops::Conv2dOptions& options);

// = ops::conv2d_backward(dY, X, in, W, options), to rounding.
ops::Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ops::ImageShape& in,
                                 const arma::mat& W, const ops::Conv2dOptions& options);

// The im2col matrix of a batch: (P*B) x Q, one row per window, as above. Public for the benchmark's breakdown and
// the checks.
arma::mat im2col(const arma::mat& X, const ops::ImageShape& in, const ops::Conv2dOptions& options);

}  // namespace gradlab::fast
