#include "gradlab/ops/avg_pool2d.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

arma::mat avg_pool2d_forward(const arma::mat& X, const ImageShape& in, const Pool2dOptions& o) {
  const ImageShape out = pool2d_output_shape(in, o, "avg_pool2d_forward");
  require(X.n_rows == in.size(), "avg_pool2d_forward", [&] {
    return "X is " + shape_of(X) + " but images of shape " + to_string(in) + " have " +
           std::to_string(in.size()) + " rows (C*H*W)";
  });
  const double area = static_cast<double>(o.window_h * o.window_w);
  arma::mat Y(out.size(), X.n_cols);
  for (arma::uword n = 0; n < X.n_cols; ++n)
    for (arma::uword c = 0; c < in.channels; ++c)
      for (arma::uword oi = 0; oi < out.height; ++oi)
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          // Y[c, oi, oj] = (1 / (wh ww)) sum_{u, v} X[c, oi*s + u, oj*s + v]
          double sum = 0.0;
          for (arma::uword u = 0; u < o.window_h; ++u)
            for (arma::uword v = 0; v < o.window_w; ++v)
              sum += X.at(in.row(c, oi * o.stride + u, oj * o.stride + v), n);
          Y.at(out.row(c, oi, oj), n) = sum / area;
        }
  return Y;
}

arma::mat avg_pool2d_backward(const arma::mat& dY, const ImageShape& in, const Pool2dOptions& o) {
  const ImageShape out = pool2d_output_shape(in, o, "avg_pool2d_backward");
  require(dY.n_rows == out.size(), "avg_pool2d_backward", [&] {
    return "dY is " + shape_of(dY) + " but images of shape " + to_string(in) + " pool to " +
           to_string(out) + ", " + std::to_string(out.size()) + " rows";
  });
  const double area = static_cast<double>(o.window_h * o.window_w);
  // Each output spreads dY / (wh ww) over its window; overlapping windows add.
  arma::mat dX(in.size(), dY.n_cols, arma::fill::zeros);
  for (arma::uword n = 0; n < dY.n_cols; ++n)
    for (arma::uword c = 0; c < in.channels; ++c)
      for (arma::uword oi = 0; oi < out.height; ++oi)
        for (arma::uword oj = 0; oj < out.width; ++oj) {
          const double share = dY.at(out.row(c, oi, oj), n) / area;
          for (arma::uword u = 0; u < o.window_h; ++u)
            for (arma::uword v = 0; v < o.window_w; ++v)
              dX.at(in.row(c, oi * o.stride + u, oj * o.stride + v), n) += share;
        }
  return dX;
}

}  // namespace gradlab::ops
