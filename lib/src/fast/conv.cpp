#include "gradlab/fast/conv.hpp"

#include "gradlab/fast/parallel.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace gradlab::fast {

namespace {

// The output columns oj in [first, end) whose tap at column offset v lands inside the image:
// 0 <= oj*s + v - pad < W.
struct Span {
  arma::uword first, end;
};
Span inside(arma::uword v, arma::uword pad, arma::uword stride, arma::uword width, arma::uword outs) {
  const arma::uword first = v >= pad ? 0 : (pad - v + stride - 1) / stride;
  // oj*s + v - pad <= width - 1  <=>  oj <= (width - 1 + pad - v) / s
  const arma::uword end = width + pad <= v ? 0 : std::min(outs, (width - 1 + pad - v) / stride + 1);
  return {first, std::max(first, end)};
}

// Walks one image's taps: for every tap q = (c, u, v) and output row oi whose tap row lies in
// the image, run(q, oi, x_row, span) with x_row the row of X holding (c, i, 0) and span the
// output columns whose tap lies inside; the taps on padding are skipped (left as they are).
template <class Run>
void for_tap_rows(const ops::ImageShape& in, const ops::ImageShape& out, const ops::Conv2dOptions& o,
                  Run&& run) {
  const arma::uword pad = o.padding;
  for (arma::uword c = 0; c < in.channels; ++c)
    for (arma::uword u = 0; u < o.kernel_h; ++u)
      for (arma::uword v = 0; v < o.kernel_w; ++v) {
        const arma::uword q = (c * o.kernel_h + u) * o.kernel_w + v;
        const Span span = inside(v, pad, o.stride, in.width, out.width);
        if (span.first == span.end) continue;  // this tap column lies on padding throughout
        for (arma::uword oi = 0; oi < out.height; ++oi) {
          const arma::uword i = oi * o.stride + u;  // in the padded frame
          if (i < pad || i - pad >= in.height) continue;
          run(q, oi, in.row(c, i - pad, 0), span);
        }
      }
}

// patches rows [P*m, P*(m+1)) for image n of X, m its place in the chunk.
void im2col_image(const double* x, const ops::ImageShape& in, const ops::ImageShape& out,
                  const ops::Conv2dOptions& o, arma::mat& patches, arma::uword m) {
  const arma::uword P = out.height * out.width, s = o.stride;
  for_tap_rows(in, out, o, [&](arma::uword q, arma::uword oi, arma::uword x_row, Span span) {
    double* dst = patches.colptr(q) + P * m + oi * out.width;
    // oj*s + v - pad = column j of the image: x_row + j
    const double* src = x + x_row + (span.first * s + (q % o.kernel_w)) - o.padding;
    for (arma::uword oj = span.first; oj < span.end; ++oj, src += s) dst[oj] = *src;
  });
}

// dx += the taps' gradients of image m of the chunk (col2im).
void col2im_image(const arma::mat& dpatches, const ops::ImageShape& in, const ops::ImageShape& out,
                  const ops::Conv2dOptions& o, arma::uword m, double* dx) {
  const arma::uword P = out.height * out.width, s = o.stride;
  for_tap_rows(in, out, o, [&](arma::uword q, arma::uword oi, arma::uword x_row, Span span) {
    const double* src = dpatches.colptr(q) + P * m + oi * out.width;
    double* dst = dx + x_row + (span.first * s + (q % o.kernel_w)) - o.padding;
    for (arma::uword oj = span.first; oj < span.end; ++oj, dst += s) *dst += src[oj];
  });
}

// The im2col matrix of images [first, end) of X: (P*(end - first)) x Q.
arma::mat im2col_images(const arma::mat& X, arma::uword first, arma::uword end,
                        const ops::ImageShape& in, const ops::ImageShape& out,
                        const ops::Conv2dOptions& o) {
  const arma::uword Q = in.channels * o.kernel_h * o.kernel_w, P = out.height * out.width;
  arma::mat patches(P * (end - first), Q, arma::fill::none);
  if (o.padding > 0) patches.zeros();  // elsewhere every entry is written
  parallel::for_slices(end - first, static_cast<double>(patches.n_elem), [&](arma::uword a, arma::uword z) {
    for (arma::uword m = a; m < z; ++m) im2col_image(X.colptr(first + m), in, out, o, patches, m);
  });
  return patches;
}

// One image's windows (P x Q) into `patches`, the taps on padding zero.
void im2col_one(const double* x, const ops::ImageShape& in, const ops::ImageShape& out,
                const ops::Conv2dOptions& o, arma::mat& patches) {
  if (o.padding > 0) patches.zeros();
  im2col_image(x, in, out, o, patches, 0);
}

// Image n's column of a batch (C*H*W or K*Ho*Wo numbers) as the P x K matrix whose column k is
// kernel k's P outputs: the layout of Y (ops/image.hpp) is already the product's.
arma::mat as_positions(const arma::mat& batch, arma::uword n, arma::uword P, arma::uword K) {
  return arma::mat(const_cast<double*>(batch.colptr(n)), P, K, false, true);
}

}  // namespace

arma::mat im2col(const arma::mat& X, const ops::ImageShape& in, const ops::Conv2dOptions& o) {
  require(X.n_rows == in.size(), "fast::im2col", [&] {
    return "X is " + shape_of(X) + " but images of shape " + ops::to_string(in) + " have " +
           std::to_string(in.size()) + " rows (C*H*W)";
  });
  return im2col_images(X, 0, X.n_cols, in, ops::conv2d_output_shape(in, 1, o, "fast::im2col"), o);
}

arma::mat conv2d_forward(const arma::mat& X, const ops::ImageShape& in, const arma::mat& W,
                         const arma::vec& b, const ops::Conv2dOptions& o) {
  const ops::ImageShape out = ops::require_conv2d_shapes("fast::conv2d_forward", X, in, W, o);
  require(b.n_elem == W.n_rows, "fast::conv2d_forward", [&] {
    return "W is " + shape_of(W) + " but b has " + std::to_string(b.n_elem) +
           " entries (one per kernel, a row of W)";
  });
  const arma::uword K = W.n_rows, Q = W.n_cols, P = out.height * out.width, B = X.n_cols;
  arma::mat Y(out.size(), B, arma::fill::none);
  const arma::rowvec bias = b.t();
  // Image by image, its windows in the cache: Y_n = patches_n W^T (one GEMM, P x K, written in
  // place), then the bias; the images are independent, one slice of them per thread.
  parallel::for_slices(B, static_cast<double>(P * Q * B), [&](arma::uword first, arma::uword end) {
    arma::mat patches(P, Q, arma::fill::none);
    for (arma::uword n = first; n < end; ++n) {
      im2col_one(X.colptr(n), in, out, o, patches);
      arma::mat Yn = as_positions(Y, n, P, K);
      Yn = patches * W.t();
      Yn.each_row() += bias;
    }
  });
  return Y;
}

ops::Conv2dGrads conv2d_backward(const arma::mat& dY, const arma::mat& X, const ops::ImageShape& in,
                                 const arma::mat& W, const ops::Conv2dOptions& o) {
  const ops::ImageShape out = ops::require_conv2d_shapes("fast::conv2d_backward", X, in, W, o);
  require(dY.n_rows == out.size() && dY.n_cols == X.n_cols, "fast::conv2d_backward", [&] {
    return "dY is " + shape_of(dY) + " but the output of X " + shape_of(X) + " is " +
           std::to_string(out.size()) + "x" + std::to_string(X.n_cols) + " (outputs " +
           ops::to_string(out) + " per image)";
  });
  const arma::uword K = W.n_rows, Q = W.n_cols, P = out.height * out.width, B = X.n_cols;
  ops::Conv2dGrads g;
  g.dX.zeros(X.n_rows, B);
  // Image by image, dZ_n = dY's column n as P x K (no copy):
  //   db += column sums of dZ_n,  dW += dZ_n^T patches_n,  dX_n = col2im(dZ_n W).
  // One slice of images per thread, each with its own dW and db, added in slice order.
  const int slices = parallel::threads_for(static_cast<double>(P * Q * B));
  std::vector<arma::mat> dW(static_cast<std::size_t>(slices), arma::mat(K, Q, arma::fill::zeros));
  std::vector<arma::rowvec> db(static_cast<std::size_t>(slices), arma::rowvec(K, arma::fill::zeros));
  parallel::for_numbered_slices(B, slices, [&](int s, arma::uword first, arma::uword end) {
    arma::mat patches(P, Q, arma::fill::none), dpatches(P, Q, arma::fill::none);
    arma::mat& dW_s = dW[static_cast<std::size_t>(s)];
    for (arma::uword n = first; n < end; ++n) {
      const arma::mat dZ = as_positions(dY, n, P, K);
      im2col_one(X.colptr(n), in, out, o, patches);
      db[static_cast<std::size_t>(s)] += arma::sum(dZ, 0);        // every position
      dW_s += dZ.t() * patches;                                     // K x Q: the positions' sum
      dpatches = dZ * W;                                            // P x Q
      col2im_image(dpatches, in, out, o, 0, g.dX.colptr(n));       // windows overlap: entries add
    }
  });
  g.dW = std::move(dW[0]);
  g.db = db[0].t();
  for (std::size_t s = 1; s < dW.size(); ++s) {
    g.dW += dW[s];
    g.db += db[s].t();
  }
  return g;
}

}  // namespace gradlab::fast
