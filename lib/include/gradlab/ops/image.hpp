#pragma once
// Images in a batch matrix: the layout and the window geometry that the image ops (conv2d,
// max_pool2d, avg_pool2d) share. Derivations: docs/derivations/conv2d.md (layout and sizes).
//
// A batch of B images, each of C channels of H rows and W columns, is an arma::mat of shape
// (C*H*W) x B: one column per image (columns are samples, as everywhere in gradlab), and entry
// (c, i, j) of image b at
//   X(c*H*W + i*W + j, b)
// This is the order of PyTorch's contiguous NCHW tensor flattened per sample: for a tensor x of
// shape (B, C, H, W), x.flatten(1).T is this matrix.
//
// Flatten (images to feature vectors for a Linear layer) is therefore the identity on the data:
// the same matrix is read as C*H*W features per column. It is a change of reading, not an op,
// and has no derivative to write (dX = dY).
#include <armadillo>

#include <string>

namespace gradlab::ops {

// The shape of one image: channels x height x width, its C*H*W entries in one column.
struct ImageShape {
  arma::uword channels = 1, height = 1, width = 1;
  arma::uword size() const { return channels * height * width; }  // the rows of a batch matrix
  // The row of entry (c, i, j): c*H*W + i*W + j.
  arma::uword row(arma::uword c, arma::uword i, arma::uword j) const {
    return (c * height + i) * width + j;
  }
};

// "2x5x6": channels x height x width, as messages print it.
std::string to_string(const ImageShape& shape);

// A convolution's window: a kernel_h x kernel_w kernel moved by `stride` over the image framed
// by `padding` rows and columns of zeros on every side (PyTorch's Conv2d stride and padding).
struct Conv2dOptions {
  arma::uword kernel_h = 3, kernel_w = 3, stride = 1, padding = 0;
};

// A pooling window: window_h x window_w, moved by `stride`, over the image itself (no padding).
struct Pool2dOptions {
  arma::uword window_h = 2, window_w = 2, stride = 2;
};

// The output's image shape, K x Ho x Wo, along each axis n_out = (n + 2 padding - k) / stride + 1
// (the last window that fits; rows or columns left over at the end are not visited).
// Throws std::invalid_argument, naming `function` and the shapes, for an empty image or kernel,
// a stride of 0, or a kernel larger than the padded image.
ImageShape conv2d_output_shape(const ImageShape& in, arma::uword kernels,
                               const Conv2dOptions& options,
                               const char* function = "conv2d_output_shape");

// The same for a pool: C x Ho x Wo with n_out = (n - window) / stride + 1.
ImageShape pool2d_output_shape(const ImageShape& in, const Pool2dOptions& options,
                               const char* function = "pool2d_output_shape");

// The checks a convolution's arguments share (conv2d_forward, conv2d_backward and their fast
// twins): X has C*H*W rows and W has C*kh*kw columns for images of shape `in`. Returns the
// output's image shape, K x Ho x Wo (K = W's rows); throws std::invalid_argument naming
// `function` and the shapes.
ImageShape require_conv2d_shapes(const char* function, const arma::mat& X, const ImageShape& in,
                                 const arma::mat& W, const Conv2dOptions& options);

}  // namespace gradlab::ops
