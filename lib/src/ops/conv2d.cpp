#include "gradlab/ops/conv2d.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

namespace {

// Xp[c, i, j] of image b: the image framed by `padding` zeros. i and j count in the padded
// frame, so the image itself starts at (padding, padding).
double padded(const arma::mat& X, const ImageShape& in, arma::uword padding, arma::uword c,
              arma::uword i, arma::uword j, arma::uword b) {
  if (i < padding || j < padding || i - padding >= in.height || j - padding >= in.width) return 0.0;
  return X.at(in.row(c, i - padding, j - padding), b);
}

}  // namespace

arma::mat conv2d_forward(const arma::mat& X, const ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const Conv2dOptions& o) {
  const ImageShape out = require_conv2d_shapes("conv2d_forward", X, in, W, o);
  require(b.n_elem == W.n_rows, "conv2d_forward", [&] {
    return "W is " + shape_of(W) + " but b has " + std::to_string(b.n_elem) +
           " entries (one per kernel, a row of W)";
  });
  const arma::uword kh = o.kernel_h, kw = o.kernel_w, s = o.stride;
  arma::mat Y(out.size(), X.n_cols);
  for (arma::uword n = 0; n < X.n_cols; ++n)
    for (arma::uword k = 0; k < out.channels; ++k)
      for (arma::uword oi = 0; oi < out.height; ++oi)
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          // Y[k, oi, oj] = b[k] + sum_{c, u, v} W[k, c, u, v] Xp[c, oi*s + u, oj*s + v]
          double sum = b(k);
          for (arma::uword c = 0; c < in.channels; ++c)
            for (arma::uword u = 0; u < kh; ++u)
              for (arma::uword v = 0; v < kw; ++v)
                sum += W.at(k, (c * kh + u) * kw + v) * padded(X, in, o.padding, c, oi * s + u, oj * s + v, n);
          Y.at(out.row(k, oi, oj), n) = sum;
        }
  return Y;
}

Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ImageShape& in,
                            const arma::mat& W, const Conv2dOptions& o) {
  const ImageShape out = require_conv2d_shapes("conv2d_backward", X, in, W, o);
  require(dY.n_rows == out.size() && dY.n_cols == X.n_cols, "conv2d_backward", [&] {
    return "dY is " + shape_of(dY) + " but the output of X " + shape_of(X) + " is " +
           std::to_string(out.size()) + "x" + std::to_string(X.n_cols) + " (outputs " +
           to_string(out) + " per image)";
  });
  const arma::uword kh = o.kernel_h, kw = o.kernel_w, s = o.stride, p = o.padding;
  Conv2dGrads g;

  // dW[k, c, u, v] = sum_b sum_{oi, oj} dY[k, oi, oj] Xp[c, oi*s + u, oj*s + v]: the input
  // correlated with dY. The sums over positions and over the batch are both there because the
  // same weight is used at every position of every image.
  g.dW.zeros(W.n_rows, W.n_cols);
  g.db.zeros(W.n_rows);
  for (arma::uword n = 0; n < X.n_cols; ++n)          // the batch sum
    for (arma::uword k = 0; k < out.channels; ++k)
      for (arma::uword oi = 0; oi < out.height; ++oi)  // the sum over positions
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          const double dy = dY.at(out.row(k, oi, oj), n);
          g.db(k) += dy;  // b[k] is added at every position of every image
          for (arma::uword c = 0; c < in.channels; ++c)
            for (arma::uword u = 0; u < kh; ++u)
              for (arma::uword v = 0; v < kw; ++v)
                g.dW.at(k, (c * kh + u) * kw + v) += dy * padded(X, in, p, c, oi * s + u, oj * s + v, n);
        }

  // dX[c, i, j] = sum_{k, u, v} dY[k, oi, oj] W[k, c, u, v] over the outputs whose window put
  // offset (u, v) on (i, j): oi*s + u = i + p, oj*s + v = j + p. Each input entry gathers from
  // every output it fed: the transposed convolution. At stride 1, oi = i + p - u: dY framed by
  // kh - 1 - p zeros, correlated with the kernel turned by 180 degrees (the full convolution).
  g.dX.zeros(X.n_rows, X.n_cols);
  for (arma::uword n = 0; n < X.n_cols; ++n)
    for (arma::uword c = 0; c < in.channels; ++c)
      for (arma::uword i = 0; i < in.height; ++i)
        for (arma::uword j = 0; j < in.width; ++j) {
          double sum = 0.0;
          for (arma::uword u = 0; u < kh; ++u) {
            // oi*s = i + p - u must be a multiple of s within [0, Ho)
            if (i + p < u || (i + p - u) % s != 0 || (i + p - u) / s >= out.height) continue;
            const arma::uword oi = (i + p - u) / s;
            for (arma::uword v = 0; v < kw; ++v) {
              if (j + p < v || (j + p - v) % s != 0 || (j + p - v) / s >= out.width) continue;
              const arma::uword oj = (j + p - v) / s;
              for (arma::uword k = 0; k < out.channels; ++k)
                sum += dY.at(out.row(k, oi, oj), n) * W.at(k, (c * kh + u) * kw + v);
            }
          }
          g.dX.at(in.row(c, i, j), n) = sum;
        }
  return g;
}

}  // namespace gradlab::ops
