#include "gradlab/fast/conv.hpp"

#include "gradlab/fast/parallel.hpp"
#include "gradlab/shape.hpp"

namespace gradlab::fast {

namespace {

// The output's image shape after the reference's checks of X and W (the same messages).
ops::ImageShape require_conv2d(const char* function, const arma::mat& X, const ops::ImageShape& in,
                               const arma::mat& W, const ops::Conv2dOptions& o) {
  const ops::ImageShape out = ops::conv2d_output_shape(in, W.n_rows, o, function);
  require(X.n_rows == in.size(), function, [&] {
    return "X is " + shape_of(X) + " but images of shape " + ops::to_string(in) + " have " +
           std::to_string(in.size()) + " rows (C*H*W)";
  });
  require(W.n_cols == in.channels * o.kernel_h * o.kernel_w, function, [&] {
    return "W is " + shape_of(W) + " but " + std::to_string(in.channels) + " channels of " +
           std::to_string(o.kernel_h) + "x" + std::to_string(o.kernel_w) + " kernels need " +
           std::to_string(in.channels * o.kernel_h * o.kernel_w) + " columns (C*kh*kw)";
  });
  return out;
}

// Calls visit(q, r) for each tap q of output position (oi, oj) that lies inside the image, r
// being its row in X; the taps on padding are skipped.
template <class Visit>
void for_taps(const ops::ImageShape& in, const ops::Conv2dOptions& o, arma::uword oi,
              arma::uword oj, Visit&& visit) {
  const arma::uword p = o.padding;
  for (arma::uword c = 0; c < in.channels; ++c)
    for (arma::uword u = 0; u < o.kernel_h; ++u) {
      const arma::uword i = oi * o.stride + u;  // in the padded frame
      if (i < p || i - p >= in.height) continue;
      for (arma::uword v = 0; v < o.kernel_w; ++v) {
        const arma::uword j = oj * o.stride + v;
        if (j < p || j - p >= in.width) continue;
        visit((c * o.kernel_h + u) * o.kernel_w + v, in.row(c, i - p, j - p));
      }
    }
}

arma::mat im2col_checked(const arma::mat& X, const ops::ImageShape& in, const ops::ImageShape& out,
                         const ops::Conv2dOptions& o) {
  const arma::uword Q = in.channels * o.kernel_h * o.kernel_w, P = out.height * out.width;
  arma::mat patches(Q, P * X.n_cols, arma::fill::zeros);
  parallel::for_slices(X.n_cols, static_cast<double>(patches.n_elem), [&](arma::uword first, arma::uword end) {
    for (arma::uword n = first; n < end; ++n) {
      const double* x = X.colptr(n);
      for (arma::uword oi = 0; oi < out.height; ++oi)
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          double* column = patches.colptr((oi * out.width + oj) + P * n);
          for_taps(in, o, oi, oj, [&](arma::uword q, arma::uword r) { column[q] = x[r]; });
        }
    }
  });
  return patches;
}

}  // namespace

arma::mat im2col(const arma::mat& X, const ops::ImageShape& in, const ops::Conv2dOptions& o) {
  require(X.n_rows == in.size(), "fast::im2col", [&] {
    return "X is " + shape_of(X) + " but images of shape " + ops::to_string(in) + " have " +
           std::to_string(in.size()) + " rows (C*H*W)";
  });
  return im2col_checked(X, in, ops::conv2d_output_shape(in, 1, o, "fast::im2col"), o);
}

arma::mat conv2d_forward(const arma::mat& X, const ops::ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const ops::Conv2dOptions& o) {
  const ops::ImageShape out = require_conv2d("fast::conv2d_forward", X, in, W, o);
  require(b.n_elem == W.n_rows, "fast::conv2d_forward", [&] {
    return "W is " + shape_of(W) + " but b has " + std::to_string(b.n_elem) +
           " entries (one per kernel, a row of W)";
  });
  const arma::uword K = W.n_rows, P = out.height * out.width;
  const arma::mat Z = W * im2col_checked(X, in, out, o);  // K x (P*B), one GEMM
  // Y[k*P + p, b] = Z(k, p + P*b) + b[k]
  arma::mat Y(out.size(), X.n_cols);
  parallel::for_slices(X.n_cols, static_cast<double>(Y.n_elem), [&](arma::uword first, arma::uword end) {
    for (arma::uword n = first; n < end; ++n) {
      double* y = Y.colptr(n);
      for (arma::uword p = 0; p < P; ++p) {
        const double* z = Z.colptr(p + P * n);
        for (arma::uword k = 0; k < K; ++k) y[k * P + p] = z[k] + b[k];
      }
    }
  });
  return Y;
}

ops::Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ops::ImageShape& in,
                                 const arma::mat& W, const ops::Conv2dOptions& o) {
  const ops::ImageShape out = require_conv2d("fast::conv2d_backward", X, in, W, o);
  require(dY.n_rows == out.size() && dY.n_cols == X.n_cols, "fast::conv2d_backward", [&] {
    return "dY is " + shape_of(dY) + " but the output of X " + shape_of(X) + " is " +
           std::to_string(out.size()) + "x" + std::to_string(X.n_cols) + " (outputs " +
           ops::to_string(out) + " per image)";
  });
  const arma::uword K = W.n_rows, P = out.height * out.width, B = X.n_cols;
  // dZ(k, p + P*b) = dY[k*P + p, b]: dY in the arrangement of the forward's product
  arma::mat dZ(K, P * B);
  parallel::for_slices(B, static_cast<double>(dZ.n_elem), [&](arma::uword first, arma::uword end) {
    for (arma::uword n = first; n < end; ++n) {
      const double* dy = dY.colptr(n);
      for (arma::uword p = 0; p < P; ++p) {
        double* dz = dZ.colptr(p + P * n);
        for (arma::uword k = 0; k < K; ++k) dz[k] = dy[k * P + p];
      }
    }
  });
  ops::Conv2dGrads g;
  g.db = arma::sum(dZ, 1);                           // every position of every image
  g.dW = dZ * im2col_checked(X, in, out, o).t();     // K x Q: sums over positions and the batch
  const arma::mat dpatches = W.t() * dZ;             // Q x (P*B)
  // col2im: each tap's gradient added to the entry it read (windows overlap: the entries add)
  g.dX.zeros(X.n_rows, B);
  parallel::for_slices(B, static_cast<double>(dpatches.n_elem), [&](arma::uword first, arma::uword end) {
    for (arma::uword n = first; n < end; ++n) {
      double* dx = g.dX.colptr(n);
      for (arma::uword oi = 0; oi < out.height; ++oi)
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          const double* column = dpatches.colptr((oi * out.width + oj) + P * n);
          for_taps(in, o, oi, oj, [&](arma::uword q, arma::uword r) { dx[r] += column[q]; });
        }
    }
  });
  return g;
}

}  // namespace gradlab::fast
