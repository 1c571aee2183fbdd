#include "gradlab/ops/max_pool2d.hpp"

#include "gradlab/shape.hpp"

#include <cmath>

namespace gradlab::ops {

MaxPool2dForward max_pool2d_forward(const arma::mat& X, const ImageShape& in,
                                    const Pool2dOptions& o) {
  const ImageShape out = pool2d_output_shape(in, o, "max_pool2d_forward");
  require(X.n_rows == in.size(), "max_pool2d_forward", [&] {
    return "X is " + shape_of(X) + " but images of shape " + to_string(in) + " have " +
           std::to_string(in.size()) + " rows (C*H*W)";
  });
  MaxPool2dForward f{arma::mat(out.size(), X.n_cols), arma::umat(out.size(), X.n_cols)};
  for (arma::uword n = 0; n < X.n_cols; ++n)
    for (arma::uword c = 0; c < in.channels; ++c)
      for (arma::uword oi = 0; oi < out.height; ++oi)
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          // Y[c, oi, oj] = max_{u, v} X[c, oi*s + u, oj*s + v], the first maximum kept:
          // a later entry replaces it only when strictly larger (or NaN).
          arma::uword best = in.row(c, oi * o.stride, oj * o.stride);
          for (arma::uword u = 0; u < o.window_h; ++u)
            for (arma::uword v = 0; v < o.window_w; ++v) {
              const arma::uword r = in.row(c, oi * o.stride + u, oj * o.stride + v);
              if (X.at(r, n) > X.at(best, n) || std::isnan(X.at(r, n))) best = r;
            }
          f.Y.at(out.row(c, oi, oj), n) = X.at(best, n);
          f.argmax.at(out.row(c, oi, oj), n) = best;
        }
  return f;
}

arma::mat max_pool2d_backward(const arma::mat& dY, const arma::umat& argmax, const ImageShape& in) {
  require(dY.n_rows == argmax.n_rows && dY.n_cols == argmax.n_cols, "max_pool2d_backward", [&] {
    return "dY is " + shape_of(dY) + " but argmax is " + std::to_string(argmax.n_rows) + "x" +
           std::to_string(argmax.n_cols) + " (they must have the same shape)";
  });
  require(argmax.is_empty() || argmax.max() < in.size(), "max_pool2d_backward", [&] {
    return "argmax holds row " + std::to_string(argmax.max()) + " but images of shape " +
           to_string(in) + " have " + std::to_string(in.size()) + " rows";
  });
  // dX[r] = sum of dY over the outputs that copied X[r]
  arma::mat dX(in.size(), dY.n_cols, arma::fill::zeros);
  for (arma::uword n = 0; n < dY.n_cols; ++n)
    for (arma::uword o = 0; o < dY.n_rows; ++o) dX.at(argmax.at(o, n), n) += dY.at(o, n);
  return dX;
}

}  // namespace gradlab::ops
