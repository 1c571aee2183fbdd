#include "gradlab/ops/image.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

std::string to_string(const ImageShape& shape) {
  return std::to_string(shape.channels) + "x" + std::to_string(shape.height) + "x" +
         std::to_string(shape.width);
}

namespace {
// n_out = (n + 2 padding - k) / stride + 1 along one axis, after the checks.
arma::uword output_size(arma::uword n, arma::uword k, arma::uword stride, arma::uword padding) {
  return (n + 2 * padding - k) / stride + 1;
}

void require_image(const ImageShape& in, const char* function) {
  require(in.channels > 0 && in.height > 0 && in.width > 0, function,
          [&] { return "the image shape " + to_string(in) + " is empty (C x H x W)"; });
}
}  // namespace

ImageShape conv2d_output_shape(const ImageShape& in, arma::uword kernels,
                               const Conv2dOptions& o, const char* function) {
  require_image(in, function);
  require(kernels > 0, function, "there must be at least one kernel");
  require(o.kernel_h > 0 && o.kernel_w > 0 && o.stride > 0, function, [&] {
    return "kernel " + std::to_string(o.kernel_h) + "x" + std::to_string(o.kernel_w) +
           " with stride " + std::to_string(o.stride) + ": the kernel and the stride must be at least 1";
  });
  require(o.kernel_h <= in.height + 2 * o.padding && o.kernel_w <= in.width + 2 * o.padding,
          function, [&] {
            return "kernel " + std::to_string(o.kernel_h) + "x" + std::to_string(o.kernel_w) +
                   " does not fit the image " + to_string(in) + " with padding " +
                   std::to_string(o.padding);
          });
  return {kernels, output_size(in.height, o.kernel_h, o.stride, o.padding),
          output_size(in.width, o.kernel_w, o.stride, o.padding)};
}

ImageShape pool2d_output_shape(const ImageShape& in, const Pool2dOptions& o, const char* function) {
  require_image(in, function);
  require(o.window_h > 0 && o.window_w > 0 && o.stride > 0, function, [&] {
    return "window " + std::to_string(o.window_h) + "x" + std::to_string(o.window_w) +
           " with stride " + std::to_string(o.stride) + ": the window and the stride must be at least 1";
  });
  require(o.window_h <= in.height && o.window_w <= in.width, function, [&] {
    return "window " + std::to_string(o.window_h) + "x" + std::to_string(o.window_w) +
           " does not fit the image " + to_string(in);
  });
  return {in.channels, output_size(in.height, o.window_h, o.stride, 0),
          output_size(in.width, o.window_w, o.stride, 0)};
}

ImageShape require_conv2d_shapes(const char* function, const arma::mat& X, const ImageShape& in,
                                 const arma::mat& W, const Conv2dOptions& o) {
  const ImageShape out = conv2d_output_shape(in, W.n_rows, o, function);
  require(X.n_rows == in.size(), function, [&] {
    return "X is " + shape_of(X) + " but images of shape " + to_string(in) + " have " +
           std::to_string(in.size()) + " rows (C*H*W)";
  });
  require(W.n_cols == in.channels * o.kernel_h * o.kernel_w, function, [&] {
    return "W is " + shape_of(W) + " but " + std::to_string(in.channels) + " channels of " +
           std::to_string(o.kernel_h) + "x" + std::to_string(o.kernel_w) + " kernels need " +
           std::to_string(in.channels * o.kernel_h * o.kernel_w) + " columns (C*kh*kw)";
  });
  return out;
}

}  // namespace gradlab::ops
