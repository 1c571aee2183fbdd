#include "gradlab/fast/conv.hpp"

#include "gradlab/fast/parallel.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <cstring>

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

// Images per chunk: the chunk's patches about 2 MB (262144 numbers), so that im2col, the
// products and col2im work on memory the caches hold (one image's patches at least).
arma::uword chunk_images(const ops::ImageShape& in, const ops::ImageShape& out, const ops::Conv2dOptions& o) {
  const double per_image = static_cast<double>(out.height * out.width * in.channels * o.kernel_h * o.kernel_w);
  return std::max<arma::uword>(1, static_cast<arma::uword>(262144.0 / per_image));
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
  const arma::uword K = W.n_rows, P = out.height * out.width, B = X.n_cols;
  const arma::uword chunk = chunk_images(in, out, o);
  arma::mat Y(out.size(), B);
  for (arma::uword first = 0; first < B; first += chunk) {
    const arma::uword end = std::min(B, first + chunk);
    const arma::mat Z = im2col_images(X, first, end, in, out, o) * W.t();  // (P*m) x K, one GEMM
    // Y[k*P + p, n] = Z(p + P*m, k) + b[k]: P contiguous numbers per kernel and image
    for (arma::uword n = first; n < end; ++n)
      for (arma::uword k = 0; k < K; ++k) {
        const double* z = Z.colptr(k) + P * (n - first);
        double* y = Y.colptr(n) + k * P;
        const double bias = b[k];
        for (arma::uword p = 0; p < P; ++p) y[p] = z[p] + bias;
      }
  }
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
  const arma::uword K = W.n_rows, P = out.height * out.width, B = X.n_cols;
  const arma::uword chunk = chunk_images(in, out, o);
  ops::Conv2dGrads g;
  g.dW.zeros(arma::size(W));
  g.db.zeros(K);
  g.dX.zeros(X.n_rows, B);
  for (arma::uword first = 0; first < B; first += chunk) {
    const arma::uword end = std::min(B, first + chunk);
    // dZ(p + P*m, k) = dY[k*P + p, n]: dY in the arrangement of the forward's product
    arma::mat dZ(P * (end - first), K);
    for (arma::uword n = first; n < end; ++n)
      for (arma::uword k = 0; k < K; ++k)
        std::memcpy(dZ.colptr(k) + P * (n - first), dY.colptr(n) + k * P, P * sizeof(double));
    g.db += arma::sum(dZ, 0).t();                                // every position of every image
    g.dW += dZ.t() * im2col_images(X, first, end, in, out, o);  // K x Q: positions and images
    const arma::mat dpatches = dZ * W;                          // (P*m) x Q
    // col2im: each tap's gradient added to the entry it read (windows overlap: entries add)
    parallel::for_slices(end - first, static_cast<double>(dpatches.n_elem), [&](arma::uword a, arma::uword z) {
      for (arma::uword m = a; m < z; ++m) col2im_image(dpatches, in, out, o, m, g.dX.colptr(first + m));
    });
  }
  return g;
}

}  // namespace gradlab::fast
