// gradlab.ops: every op of lib/include/gradlab/ops/, on NumPy arrays, in NumPy's orientation.
//
// Each array reaches the op through arrays.hpp's rule, in place: a 2-D array is gradlab's matrix
// transposed, so samples are rows here where they are columns in C++. Shapes are checked here,
// before the op runs, so that every message names the op, the argument and NumPy's shapes.
// A backward that returns several gradients returns a dict keyed by the inputs' names: the form
// gradlab.check_vjp expects of a backward.
// The image ops take PyTorch's shapes: images (B, C, H, W), kernels (K, C, kh, kw). A C-ordered
// (B, C, H, W) array holds each image's C*H*W entries in a row, in gradlab's order
// (ops/image.hpp), so it is read as gradlab's (C*H*W) x B batch, not by the last-axis rule.
#include "ops.hpp"

#include "arrays.hpp"

#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/avg_pool2d.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/conv2d.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/l2_penalty.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/max_pool2d.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/multiclass_hinge.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"

#include <pybind11/stl.h>

#include <random>

namespace gradlab::python {

namespace {

const char* const why_float64 =
    "gradlab's ops compute in float64, and comparing them with yours element for element needs "
    "the same precision";

// An argument: the array, its NumPy shape, and the matrix reading it in place.
struct Arg {
  std::string op, name;
  py::array_t<double> array;
  Shape shape;
  std::unique_ptr<arma::mat> matrix;
  const arma::mat& operator*() const { return *matrix; }
  std::string text() const { return name + " has shape " + shape_text(shape); }
  py::ssize_t dim(int axis) const { return shape[axis < 0 ? shape.size() + axis : axis]; }
};

Arg arg(const char* op, const char* name, const py::handle& value) {
  py::array_t<double> a = float64_array(value, op, name, why_float64);
  Shape shape = shape_of(a);
  auto matrix = borrow(a);
  return {op, name, std::move(a), std::move(shape), std::move(matrix)};
}

[[noreturn]] void fail(const Arg& a, const std::string& message) {
  throw py::value_error(a.op + ": " + message);
}

void require_ndim(const Arg& a, std::size_t low, std::size_t high, const char* what) {
  if (a.shape.size() < low || a.shape.size() > high) fail(a, a.text() + ": " + what);
}

void require_nonempty(const Arg& a) {
  if (element_count(a.shape) == 0) fail(a, a.name + " is empty (shape " + shape_text(a.shape) + ")");
}

void require_same_shape(const Arg& a, const Arg& b) {
  if (a.shape != b.shape) fail(a, a.text() + " but " + b.text() + " (they must have the same shape)");
}

// A 1-D argument as gradlab's vector (a copy: vectors are small).
arma::vec vec(const Arg& a) {
  require_ndim(a, 1, 1, "it must be 1-D");
  return arma::vec(a.array.data(), a.array.size());
}

// A vector with one entry per column of a 2-D batch (per feature).
arma::vec per_feature(const Arg& v, const Arg& X) {
  arma::vec out = vec(v);
  if (v.dim(0) != X.dim(-1))
    fail(v, v.text() + " but " + X.text() + ": one entry per column (feature) of " + X.name);
  return out;
}

// Integer labels, one per sample, each in [0, classes); `scores` names what they go with.
arma::uvec labels_of(const char* op, const py::handle& value, py::ssize_t samples, py::ssize_t classes,
                     const std::string& scores) {
  py::array a = py::module_::import("numpy").attr("asarray")(value);
  if (a.dtype().kind() != 'i' && a.dtype().kind() != 'u')
    throw py::type_error(std::string(op) + ": labels has dtype " + std::string(py::str(py::object(a.dtype()))) +
                         "; labels are integer class indices");
  a = py::module_::import("numpy").attr("ravel")(a).attr("astype")("int64");
  const auto data = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
  if (data.size() != samples)
    throw py::value_error(std::string(op) + ": labels has " + std::to_string(data.size()) + " entries but " +
                          scores + " (one label per sample)");
  arma::uvec labels(static_cast<arma::uword>(samples));
  for (py::ssize_t i = 0; i < samples; ++i) {
    const std::int64_t label = data.at(i);
    if (label < 0 || label >= classes)
      throw py::value_error(std::string(op) + ": label " + std::to_string(label) + " at index " +
                            std::to_string(i) + " is out of range for " + std::to_string(classes) + " classes");
    labels(static_cast<arma::uword>(i)) = static_cast<arma::uword>(label);
  }
  return labels;
}

// Class labels, one per row of scores (B x C, or one sample of C).
arma::uvec labels_for(const char* op, const py::handle& value, const Arg& scores) {
  require_nonempty(scores);
  require_ndim(scores, 1, 2, "it must be 1-D (one sample) or 2-D (samples in rows)");
  return labels_of(op, value, scores.shape.size() == 1 ? 1 : scores.dim(0), scores.dim(-1), scores.text());
}

// The binary hinge's arguments: scores (B,), one per sample, as gradlab's 1 x B row (a copy),
// and labels (B,), each 0 or 1.
std::pair<arma::mat, arma::uvec> binary_args(const char* op, const Arg& scores, const py::handle& labels) {
  require_nonempty(scores);
  require_ndim(scores, 1, 1, "it must be 1-D (one score per sample)");
  const arma::mat row((*scores).memptr(), 1, (*scores).n_elem);
  return {row, labels_of(op, labels, scores.dim(0), 2, scores.text())};
}

py::array like(arma::mat&& m, const Arg& a) { return to_numpy(std::move(m), a.shape); }
py::array vector_out(arma::vec&& v) {
  const Shape shape{static_cast<py::ssize_t>(v.n_elem)};
  return to_numpy(arma::mat(std::move(v)), shape);
}

// ---- batch norm's cache -----------------------------------------------------------------------

struct BatchNormCache {
  ops::BatchNormCache cache;
  Shape x_shape;  // x_hat's NumPy shape: (B, D)
};

py::array copy_of(const arma::mat& m, const Shape& shape) { return to_numpy(arma::mat(m), shape); }

// batchnorm_backward and batchnorm_backward_eval: (dY, gamma, cache) -> {X, gamma, beta}.
template <class Op>
void def_batchnorm_backward(py::module_& m, const char* name, Op op, const char* doc) {
  m.def(name, [name, op](const py::handle& dY_, const py::handle& gamma_, const BatchNormCache& cache) {
    const Arg dY = arg(name, "dY", dY_), gamma = arg(name, "gamma", gamma_);
    if (dY.shape != cache.x_shape)
      fail(dY, dY.text() + " but the cache's x_hat has shape " + shape_text(cache.x_shape));
    ops::BatchNormGrads g = op(*dY, per_feature(gamma, dY), cache.cache);
    py::dict d;
    d["X"] = to_numpy(std::move(g.dX), cache.x_shape);
    d["gamma"] = vector_out(std::move(g.dgamma));
    d["beta"] = vector_out(std::move(g.dbeta));
    return d;
  }, py::arg("dY"), py::arg("gamma"), py::arg("cache"), doc);
}

void bind_batchnorm(py::module_& m) {
  py::class_<BatchNormCache>(m, "BatchNormCache",
                             "What batchnorm_forward keeps for backward: x_hat (B, D), inv_std, mean "
                             "and var (D,), as copies.")
      .def_property_readonly("x_hat", [](const BatchNormCache& c) { return copy_of(c.cache.x_hat, c.x_shape); })
      .def_property_readonly("inv_std", [](const BatchNormCache& c) { return vector_out(arma::vec(c.cache.inv_std)); })
      .def_property_readonly("mean", [](const BatchNormCache& c) { return vector_out(arma::vec(c.cache.mean)); })
      .def_property_readonly("var", [](const BatchNormCache& c) { return vector_out(arma::vec(c.cache.var)); });

  auto batch = [](const char* op, const py::handle& X_) {
    Arg X = arg(op, "X", X_);
    require_ndim(X, 2, 2, "batch norm takes a 2-D batch, samples in rows");
    require_nonempty(X);
    return X;
  };
  auto forward_out = [](ops::BatchNormForward&& f, const Arg& X) {
    return py::make_tuple(like(std::move(f.Y), X), BatchNormCache{std::move(f.cache), X.shape});
  };
  m.def("batchnorm_forward",
        [batch, forward_out](const py::handle& X_, const py::handle& gamma_, const py::handle& beta_, double eps) {
          const char* op = "batchnorm_forward";
          Arg X = batch(op, X_), gamma = arg(op, "gamma", gamma_), beta = arg(op, "beta", beta_);
          if (X.dim(0) < 2) fail(X, X.text() + ": training mode needs a batch of at least 2 rows");
          return forward_out(ops::batchnorm_forward(*X, per_feature(gamma, X), per_feature(beta, X), eps), X);
        },
        py::arg("X"), py::arg("gamma"), py::arg("beta"), py::arg("eps") = ops::batchnorm_default_eps,
        "X (B, D), gamma, beta (D,) -> (Y (B, D), BatchNormCache). Each column normalised over the "
        "batch: x_hat = (X - mean) / sqrt(var + eps), Y = gamma * x_hat + beta.");
  def_batchnorm_backward(
      m, "batchnorm_backward",
      [](const arma::mat& dY, const arma::vec& gamma, const ops::BatchNormCache& c) {
        return ops::batchnorm_backward(dY, gamma, c);
      },
      "dY (B, D) -> {'X': dX (B, D), 'gamma': dgamma (D,), 'beta': dbeta (D,)}, the closed batch form.");
  m.def("batchnorm_forward_eval",
        [batch, forward_out](const py::handle& X_, const py::handle& gamma_, const py::handle& beta_,
                             const py::handle& mean_, const py::handle& var_, double eps) {
          const char* op = "batchnorm_forward_eval";
          Arg X = batch(op, X_), gamma = arg(op, "gamma", gamma_), beta = arg(op, "beta", beta_),
              mean = arg(op, "running_mean", mean_), var = arg(op, "running_var", var_);
          return forward_out(ops::batchnorm_forward_eval(*X, per_feature(gamma, X), per_feature(beta, X),
                                                         per_feature(mean, X), per_feature(var, X), eps),
                             X);
        },
        py::arg("X"), py::arg("gamma"), py::arg("beta"), py::arg("running_mean"), py::arg("running_var"),
        py::arg("eps") = ops::batchnorm_default_eps,
        "Evaluation mode: the running statistics are constants. -> (Y (B, D), BatchNormCache).");
  def_batchnorm_backward(
      m, "batchnorm_backward_eval",
      [](const arma::mat& dY, const arma::vec& gamma, const ops::BatchNormCache& c) {
        return ops::batchnorm_backward_eval(dY, gamma, c);
      },
      "dY (B, D) -> {'X': dY * gamma * inv_std, 'gamma': dgamma (D,), 'beta': dbeta (D,)}.");
}

// ---- elementwise ops: any shape, the result has the input's shape ---------------------------

// forward(X): the result has X's shape; `nonempty` refuses an empty X (the softmax family).
template <class Op>
void def_unary(py::module_& m, const char* name, const char* x, Op op, const char* doc,
               bool nonempty = false) {
  m.def(name, [name, x, op, nonempty](const py::handle& X_) {
    const Arg X = arg(name, x, X_);
    if (nonempty) require_nonempty(X);
    return like(op(*X), X);
  }, py::arg(x), doc);
}

// backward(dY, Z): dY and Z of the same shape; the result has it too.
template <class Op>
void def_same_shape_backward(py::module_& m, const char* name, const char* dy, const char* z, Op op,
                             const char* doc) {
  m.def(name, [name, dy, z, op](const py::handle& dY_, const py::handle& Z_) {
    const Arg dY = arg(name, dy, dY_), Z = arg(name, z, Z_);
    require_same_shape(dY, Z);
    return like(op(*dY, *Z), dY);
  }, py::arg(dy), py::arg(z), doc);
}

// The two arguments of a loss on (scores, targets): the same shape, not empty.
std::pair<Arg, Arg> loss_args(const char* op, const char* y, const py::handle& Y_, const py::handle& T_) {
  Arg Y = arg(op, y, Y_), T = arg(op, "targets", T_);
  require_same_shape(Y, T);
  require_nonempty(Y);
  return {std::move(Y), std::move(T)};
}

// Y = X @ W + b's shape, after checking that X and W multiply: (B, M), or (M,) for one sample.
Shape affine_output_shape(const Arg& W, const Arg& X) {
  require_ndim(W, 2, 2, "W must be 2-D (inputs, outputs)");
  require_ndim(X, 1, 2, "X must be 1-D (one sample) or 2-D (samples in rows)");
  if (X.dim(-1) != W.dim(0)) fail(X, X.text() + " and " + W.text() + ": X @ W needs X.shape[-1] == W.shape[0]");
  return X.shape.size() == 1 ? Shape{W.dim(1)} : Shape{X.dim(0), W.dim(1)};
}

// ---- the image ops: (B, C, H, W) arrays ------------------------------------------------------

// A 4-D batch of images, (B, C, H, W).
Arg images(const char* op, const char* name, const py::handle& value) {
  Arg a = arg(op, name, value);
  require_ndim(a, 4, 4, "images are 4-D, (B, C, H, W)");
  return a;
}

ops::ImageShape image_shape(const Arg& X) {
  return {static_cast<arma::uword>(X.dim(1)), static_cast<arma::uword>(X.dim(2)),
          static_cast<arma::uword>(X.dim(3))};
}

// gradlab's (C*H*W) x B matrix of a (B, C, H, W) array: the same numbers in the same order.
arma::mat columns(const Arg& X) {
  return arma::mat(X.array.data(), static_cast<arma::uword>(X.dim(1) * X.dim(2) * X.dim(3)),
                   static_cast<arma::uword>(X.dim(0)));
}

// Kernels (K, C, kh, kw) as gradlab's K x (C*kh*kw) W: row k is weight[k] flattened, so the
// C-ordered memory is W's transpose read column-major.
arma::mat kernels(const Arg& W, const Arg& X) {
  require_ndim(W, 4, 4, "kernels are 4-D, (K, C, kh, kw)");
  if (W.dim(1) != X.dim(1)) fail(W, W.text() + " but " + X.text() + ": W.shape[1] must be X's channels");
  return arma::mat(W.array.data(), static_cast<arma::uword>(W.dim(1) * W.dim(2) * W.dim(3)),
                   static_cast<arma::uword>(W.dim(0))).t();
}

ops::Conv2dOptions conv_options(const Arg& W, arma::uword stride, arma::uword padding) {
  return {static_cast<arma::uword>(W.dim(2)), static_cast<arma::uword>(W.dim(3)), stride, padding};
}

// A window given as an int or a pair (h, w); stride None: the window's height, as PyTorch.
ops::Pool2dOptions pool_options(const char* op, const py::handle& window, const py::object& stride) {
  std::vector<arma::uword> hw;
  if (py::isinstance<py::int_>(window)) {
    hw = {window.cast<arma::uword>(), window.cast<arma::uword>()};
  } else {
    hw = window.cast<std::vector<arma::uword>>();
    if (hw.size() != 2) throw py::value_error(std::string(op) + ": window is an int or a pair (h, w)");
  }
  return {hw[0], hw[1], stride.is_none() ? hw[0] : stride.cast<arma::uword>()};
}

// The NumPy shape of a batch of B images of this shape.
Shape batch_shape(py::ssize_t B, const ops::ImageShape& s) {
  return {B, static_cast<py::ssize_t>(s.channels), static_cast<py::ssize_t>(s.height),
          static_cast<py::ssize_t>(s.width)};
}

// An input shape given as X.shape, (B, C, H, W).
ops::ImageShape input_shape(const char* op, const std::vector<py::ssize_t>& shape) {
  if (shape.size() != 4 || shape[1] <= 0 || shape[2] <= 0 || shape[3] <= 0)
    throw py::value_error(std::string(op) + ": input_shape is X.shape, (B, C, H, W)");
  return {static_cast<arma::uword>(shape[1]), static_cast<arma::uword>(shape[2]),
          static_cast<arma::uword>(shape[3])};
}

// dY of a pool over input_shape, checked against the pool's output.
arma::mat pool_upstream(const char* op, const Arg& dY, const std::vector<py::ssize_t>& x_shape,
                        const ops::ImageShape& in, const ops::Pool2dOptions& options) {
  const Shape expected = batch_shape(x_shape[0], ops::pool2d_output_shape(in, options, op));
  if (dY.shape != expected) fail(dY, dY.text() + " but the pool's output has shape " + shape_text(expected));
  return columns(dY);
}

void bind_image_ops(py::module_& m) {
  m.def("conv2d_forward", [](const py::handle& X_, const py::handle& W_, const py::handle& b_,
                             arma::uword stride, arma::uword padding) {
    const char* op = "conv2d_forward";
    const Arg X = images(op, "X", X_), W = arg(op, "W", W_), b = arg(op, "b", b_);
    const arma::mat weights = kernels(W, X);
    const arma::vec bias = vec(b);
    const ops::ImageShape in = image_shape(X);
    const ops::Conv2dOptions options = conv_options(W, stride, padding);
    const ops::ImageShape out = ops::conv2d_output_shape(in, weights.n_rows, options, op);
    return to_numpy(ops::conv2d_forward(columns(X), in, weights, bias, options), batch_shape(X.dim(0), out));
  }, py::arg("X"), py::arg("W"), py::arg("b"), py::arg("stride") = 1, py::arg("padding") = 0,
     "X (B, C, H, W), W (K, C, kh, kw), b (K,) -> Y (B, K, Ho, Wo), as F.conv2d(X, W, b, stride, "
     "padding): Y[k, i, j] = b[k] + sum over c, u, v of W[k, c, u, v] X[c, i*stride + u - padding, "
     "j*stride + v - padding], zeros outside X.");
  m.def("conv2d_backward", [](const py::handle& dY_, const py::handle& X_, const py::handle& W_,
                              arma::uword stride, arma::uword padding) {
    const char* op = "conv2d_backward";
    const Arg dY = images(op, "dY", dY_), X = images(op, "X", X_), W = arg(op, "W", W_);
    const arma::mat weights = kernels(W, X);
    const ops::ImageShape in = image_shape(X);
    const ops::Conv2dOptions options = conv_options(W, stride, padding);
    const Shape y_shape = batch_shape(X.dim(0), ops::conv2d_output_shape(in, weights.n_rows, options, op));
    if (dY.shape != y_shape) fail(dY, dY.text() + " but the convolution's output has shape " + shape_text(y_shape));
    ops::Conv2dGrads g = ops::conv2d_backward(columns(dY), columns(X), in, weights, options);
    py::dict d;
    d["X"] = to_numpy(std::move(g.dX), X.shape);
    d["W"] = to_numpy(arma::mat(g.dW.t()), W.shape);
    d["b"] = vector_out(std::move(g.db));
    return d;
  }, py::arg("dY"), py::arg("X"), py::arg("W"), py::arg("stride") = 1, py::arg("padding") = 0,
     "dY (B, K, Ho, Wo) -> {'X': dX (B, C, H, W), 'W': dW (K, C, kh, kw), 'b': db (K,)}; dW and "
     "db sum over every position of every image.");
  m.def("max_pool2d_forward", [](const py::handle& X_, const py::handle& window, const py::object& stride) {
    const char* op = "max_pool2d_forward";
    const Arg X = images(op, "X", X_);
    const ops::ImageShape in = image_shape(X);
    const ops::Pool2dOptions options = pool_options(op, window, stride);
    const Shape y_shape = batch_shape(X.dim(0), ops::pool2d_output_shape(in, options, op));
    ops::MaxPool2dForward f = ops::max_pool2d_forward(columns(X), in, options);
    py::array_t<std::int64_t> argmax(y_shape);
    std::int64_t* out = argmax.mutable_data();
    for (arma::uword i = 0; i < f.argmax.n_elem; ++i) out[i] = static_cast<std::int64_t>(f.argmax(i));
    return py::make_tuple(to_numpy(std::move(f.Y), y_shape), argmax);
  }, py::arg("X"), py::arg("window"), py::arg("stride") = py::none(),
     "X (B, C, H, W), window int or (h, w), stride (default: the window's height) -> (Y, argmax), "
     "both (B, C, Ho, Wo): the maximum of each window and where it is, as the index of the entry in "
     "its image flattened, c*H*W + i*W + j. Ties: the first maximum in row-major window order, as "
     "PyTorch.");
  m.def("max_pool2d_backward", [](const py::handle& dY_, const py::handle& argmax_,
                                  const std::vector<py::ssize_t>& x_shape) {
    const char* op = "max_pool2d_backward";
    const Arg dY = images(op, "dY", dY_);
    const ops::ImageShape in = input_shape(op, x_shape);
    const auto index = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(argmax_);
    if (!index || Shape(index.shape(), index.shape() + index.ndim()) != dY.shape)
      fail(dY, dY.text() + " but argmax does not have that shape (it is max_pool2d_forward's)");
    if (x_shape[0] != dY.dim(0) || static_cast<arma::uword>(dY.dim(1)) != in.channels)
      fail(dY, dY.text() + " but input_shape is " + shape_text(Shape(x_shape)));
    arma::umat rows(static_cast<arma::uword>(dY.dim(1) * dY.dim(2) * dY.dim(3)), static_cast<arma::uword>(dY.dim(0)));
    for (arma::uword i = 0; i < rows.n_elem; ++i) {
      const std::int64_t r = index.data()[i];
      if (r < 0 || static_cast<arma::uword>(r) >= in.size())
        throw py::value_error(std::string(op) + ": argmax holds " + std::to_string(r) + ", outside an image of " +
                              std::to_string(in.size()) + " entries");
      rows(i) = static_cast<arma::uword>(r);
    }
    return to_numpy(ops::max_pool2d_backward(columns(dY), rows, in), Shape(x_shape));
  }, py::arg("dY"), py::arg("argmax"), py::arg("input_shape"),
     "dY, argmax (B, C, Ho, Wo), input_shape = X.shape -> dX (B, C, H, W): each output's gradient "
     "at its argmax, summed where windows overlap.");
  m.def("avg_pool2d_forward", [](const py::handle& X_, const py::handle& window, const py::object& stride) {
    const char* op = "avg_pool2d_forward";
    const Arg X = images(op, "X", X_);
    const ops::ImageShape in = image_shape(X);
    const ops::Pool2dOptions options = pool_options(op, window, stride);
    const Shape y_shape = batch_shape(X.dim(0), ops::pool2d_output_shape(in, options, op));
    return to_numpy(ops::avg_pool2d_forward(columns(X), in, options), y_shape);
  }, py::arg("X"), py::arg("window"), py::arg("stride") = py::none(),
     "X (B, C, H, W), window int or (h, w), stride (default: the window's height) -> Y (B, C, Ho, Wo), "
     "the mean of each window.");
  m.def("avg_pool2d_backward", [](const py::handle& dY_, const std::vector<py::ssize_t>& x_shape,
                                  const py::handle& window, const py::object& stride) {
    const char* op = "avg_pool2d_backward";
    const Arg dY = images(op, "dY", dY_);
    const ops::ImageShape in = input_shape(op, x_shape);
    const ops::Pool2dOptions options = pool_options(op, window, stride);
    return to_numpy(ops::avg_pool2d_backward(pool_upstream(op, dY, x_shape, in, options), in, options),
                    Shape(x_shape));
  }, py::arg("dY"), py::arg("input_shape"), py::arg("window"), py::arg("stride") = py::none(),
     "dY (B, C, Ho, Wo), input_shape = X.shape -> dX (B, C, H, W): dY / (h w) spread over each window.");
}

}  // namespace

void bind_ops(py::module_& m) {
  m.attr("batchnorm_default_eps") = ops::batchnorm_default_eps;
  m.attr("cross_entropy_default_eps") = ops::cross_entropy_default_eps;
  m.attr("leaky_relu_default_slope") = ops::leaky_relu_default_slope;

  // affine
  m.def("affine_forward", [](const py::handle& W_, const py::handle& b_, const py::handle& X_) {
    const char* op = "affine_forward";
    const Arg W = arg(op, "W", W_), b = arg(op, "b", b_), X = arg(op, "X", X_);
    const Shape y_shape = affine_output_shape(W, X);
    const arma::vec bias = vec(b);
    if (b.dim(0) != W.dim(1)) fail(b, b.text() + " but " + W.text() + ": one bias per column of W");
    return to_numpy(ops::affine_forward(*W, bias, *X), y_shape);
  }, py::arg("W"), py::arg("b"), py::arg("X"),
     "W (D, M), b (M,), X (B, D) or (D,) -> Y = X @ W + b, (B, M) or (M,). gradlab's Y = W X + b "
     "with every 2-D array transposed.");
  m.def("affine_backward", [](const py::handle& dY_, const py::handle& W_, const py::handle& X_) {
    const char* op = "affine_backward";
    const Arg dY = arg(op, "dY", dY_), W = arg(op, "W", W_), X = arg(op, "X", X_);
    const Shape y_shape = affine_output_shape(W, X);
    if (dY.shape != y_shape) fail(dY, dY.text() + " but X @ W has shape " + shape_text(y_shape));
    ops::AffineGrads g = ops::affine_backward(*dY, *W, *X);
    py::dict d;
    d["W"] = to_numpy(std::move(g.dW), W.shape);
    d["b"] = vector_out(std::move(g.db));
    d["X"] = to_numpy(std::move(g.dX), X.shape);
    return d;
  }, py::arg("dY"), py::arg("W"), py::arg("X"),
     "dY (B, M) -> {'W': X.T @ dY (D, M), 'b': dY summed over the rows (M,), 'X': dY @ W.T (B, D)}.");

  // elementwise activations
  def_unary(m, "relu_forward", "X", [](const arma::mat& X) { return ops::relu_forward(X); },
            "X (any shape) -> max(X, 0).");
  def_same_shape_backward(m, "relu_backward", "dY", "X",
                          [](const arma::mat& dY, const arma::mat& X) { return ops::relu_backward(dY, X); },
                          "dY, X (same shape) -> dY * (X > 0), 0 at X = 0.");
  m.def("leaky_relu_forward", [](const py::handle& X_, double slope) {
    const Arg X = arg("leaky_relu_forward", "X", X_);
    return like(ops::leaky_relu_forward(*X, slope), X);
  }, py::arg("X"), py::arg("slope") = ops::leaky_relu_default_slope,
     "X (any shape) -> X where X > 0, slope * X elsewhere.");
  m.def("leaky_relu_backward", [](const py::handle& dY_, const py::handle& X_, double slope) {
    const char* op = "leaky_relu_backward";
    const Arg dY = arg(op, "dY", dY_), X = arg(op, "X", X_);
    require_same_shape(dY, X);
    return like(ops::leaky_relu_backward(*dY, *X, slope), dY);
  }, py::arg("dY"), py::arg("X"), py::arg("slope") = ops::leaky_relu_default_slope,
     "dY, X (same shape) -> dY * (1 where X > 0, slope elsewhere).");
  def_unary(m, "tanh_forward", "X", [](const arma::mat& X) { return ops::tanh_forward(X); },
            "X (any shape) -> tanh(X).");
  def_same_shape_backward(m, "tanh_backward", "dY", "Y",
                          [](const arma::mat& dY, const arma::mat& Y) { return ops::tanh_backward(dY, Y); },
                          "dY, Y = tanh(X) (same shape) -> dY * (1 - Y**2).");
  def_unary(m, "sigmoid_forward", "X", [](const arma::mat& X) { return ops::sigmoid_forward(X); },
            "X (any shape) -> 1 / (1 + exp(-X)), without overflow.");
  def_same_shape_backward(m, "sigmoid_backward", "dY", "Y",
                          [](const arma::mat& dY, const arma::mat& Y) { return ops::sigmoid_backward(dY, Y); },
                          "dY, Y = sigmoid(X) (same shape) -> dY * Y * (1 - Y).");

  // softmax family: over the last axis (each row of a batch)
  def_unary(m, "softmax_forward", "logits", [](const arma::mat& z) { return ops::softmax_forward(z); },
            "logits (B, C) or (C,) -> probabilities, each row summing to 1.", true);
  m.def("softmax_jacobian", [](const py::handle& s_) {
    const Arg s = arg("softmax_jacobian", "s", s_);
    const arma::vec v = vec(s);
    return to_numpy(ops::softmax_jacobian(v), {s.dim(0), s.dim(0)});
  }, py::arg("s"), "s (C,) = softmax(z) -> diag(s) - outer(s, s), (C, C).");
  def_same_shape_backward(m, "softmax_backward", "dprobs", "probs",
                          [](const arma::mat& d, const arma::mat& p) { return ops::softmax_backward(d, p); },
                          "dprobs, probs (B, C) -> each row s * (dprobs - <s, dprobs>).");
  def_unary(m, "log_softmax_forward", "logits", [](const arma::mat& z) { return ops::log_softmax_forward(z); },
            "logits (B, C) or (C,) -> logits - logsumexp over each row.", true);
  def_same_shape_backward(m, "log_softmax_backward", "dlogprobs", "logprobs",
                          [](const arma::mat& d, const arma::mat& l) { return ops::log_softmax_backward(d, l); },
                          "dlogprobs, logprobs (B, C) -> dlogprobs - softmax * (row sums of dlogprobs).");

  // losses: means over the samples (rows)
  m.def("cross_entropy_forward", [](const py::handle& P_, const py::handle& T_, double eps) {
    const auto [P, T] = loss_args("cross_entropy_forward", "probs", P_, T_);
    return ops::cross_entropy_forward(*P, *T, eps);
  }, py::arg("probs"), py::arg("targets"), py::arg("eps") = ops::cross_entropy_default_eps,
     "probs, targets (B, C) -> -(1/B) sum targets * log(probs + eps).");
  m.def("cross_entropy_backward", [](const py::handle& P_, const py::handle& T_, double eps) {
    const auto [P, T] = loss_args("cross_entropy_backward", "probs", P_, T_);
    return like(ops::cross_entropy_backward(*P, *T, eps), P);
  }, py::arg("probs"), py::arg("targets"), py::arg("eps") = ops::cross_entropy_default_eps,
     "probs, targets (B, C) -> -targets / (probs + eps) / B.");
  m.def("softmax_cross_entropy_forward", [](const py::handle& logits_, const py::handle& labels_) {
    const char* op = "softmax_cross_entropy_forward";
    const Arg z = arg(op, "logits", logits_);
    ops::SoftmaxCrossEntropy r = ops::softmax_cross_entropy_forward(*z, labels_for(op, labels_, z));
    return py::make_tuple(r.loss, like(std::move(r.probs), z));
  }, py::arg("logits"), py::arg("labels"),
     "logits (B, C), labels (B,) integers -> (loss, probs): the mean over rows of "
     "logsumexp(row) - row[label].");
  m.def("softmax_cross_entropy_backward", [](const py::handle& P_, const py::handle& labels_) {
    const char* op = "softmax_cross_entropy_backward";
    const Arg P = arg(op, "probs", P_);
    return like(ops::softmax_cross_entropy_backward(*P, labels_for(op, labels_, P)), P);
  }, py::arg("probs"), py::arg("labels"), "probs (B, C), labels (B,) -> (probs - onehot(labels)) / B.");
  m.def("nll_forward", [](const py::handle& L_, const py::handle& labels_) {
    const char* op = "nll_forward";
    const Arg L = arg(op, "logprobs", L_);
    return ops::nll_forward(*L, labels_for(op, labels_, L));
  }, py::arg("logprobs"), py::arg("labels"), "logprobs (B, C), labels (B,) -> -(1/B) sum logprobs[b, label_b].");
  m.def("nll_backward", [](const py::handle& L_, const py::handle& labels_) {
    const char* op = "nll_backward";
    const Arg L = arg(op, "logprobs", L_);
    return like(ops::nll_backward(*L, labels_for(op, labels_, L)), L);
  }, py::arg("logprobs"), py::arg("labels"), "logprobs (B, C), labels (B,) -> -onehot(labels) / B.");
  m.def("mse_forward", [](const py::handle& Y_, const py::handle& T_) {
    const auto [Y, T] = loss_args("mse_forward", "Y", Y_, T_);
    return ops::mse_forward(*Y, *T);
  }, py::arg("Y"), py::arg("targets"), "Y, targets (B, C) -> (1/B) sum (Y - targets)**2: summed over each row, mean over rows.");
  m.def("mse_backward", [](const py::handle& Y_, const py::handle& T_) {
    const auto [Y, T] = loss_args("mse_backward", "Y", Y_, T_);
    return like(ops::mse_backward(*Y, *T), Y);
  }, py::arg("Y"), py::arg("targets"), "Y, targets (B, C) -> 2 (Y - targets) / B.");

  m.def("multiclass_hinge_forward", [](const py::handle& S_, const py::handle& labels_) {
    const char* op = "multiclass_hinge_forward";
    const Arg S = arg(op, "scores", S_);
    return ops::multiclass_hinge_forward(*S, labels_for(op, labels_, S));
  }, py::arg("scores"), py::arg("labels"),
     "scores (B, C), labels (B,) -> (1/B) sum over rows b and classes j != label_b of "
     "max(0, scores[b, j] - scores[b, label_b] + 1) (PyTorch's multi_margin_loss is this / C).");
  m.def("multiclass_hinge_backward", [](const py::handle& S_, const py::handle& labels_) {
    const char* op = "multiclass_hinge_backward";
    const Arg S = arg(op, "scores", S_);
    return like(ops::multiclass_hinge_backward(*S, labels_for(op, labels_, S)), S);
  }, py::arg("scores"), py::arg("labels"),
     "scores (B, C), labels (B,) -> 1/B at each margin > 0, minus 1/B per such margin at the "
     "label; 0 at a margin of exactly 0.");
  m.def("binary_hinge_forward", [](const py::handle& s_, const py::handle& labels_) {
    const char* op = "binary_hinge_forward";
    const Arg s = arg(op, "scores", s_);
    const auto [row, labels] = binary_args(op, s, labels_);
    return ops::binary_hinge_forward(row, labels);
  }, py::arg("scores"), py::arg("labels"),
     "scores (B,), labels (B,) each 0 or 1 (signs y = 2 labels - 1) -> mean of max(0, 1 - y * scores).");
  m.def("binary_hinge_backward", [](const py::handle& s_, const py::handle& labels_) {
    const char* op = "binary_hinge_backward";
    const Arg s = arg(op, "scores", s_);
    const auto [row, labels] = binary_args(op, s, labels_);
    return like(ops::binary_hinge_backward(row, labels), s);
  }, py::arg("scores"), py::arg("labels"),
     "scores (B,), labels (B,) each 0 or 1 -> -y * (1 - y * scores > 0) / B, 0 at the kink.");

  bind_batchnorm(m);

  // dropout and the L2 penalty
  m.def("dropout_forward", [](const py::handle& X_, double p, std::uint64_t seed) {
    const Arg X = arg("dropout_forward", "X", X_);
    std::mt19937_64 rng(seed);
    ops::DropoutForward r = ops::dropout_forward(*X, p, rng);
    return py::make_tuple(like(std::move(r.Y), X), like(std::move(r.mask), X));
  }, py::arg("X"), py::arg("p"), py::arg("seed"),
     "X (any shape), p in [0, 1), seed -> (Y, mask): mask = (u >= p) / (1 - p), u uniform from a "
     "std::mt19937_64 seeded with seed, drawn in C order; Y = X * mask.");
  def_same_shape_backward(m, "dropout_backward", "dY", "mask",
                          [](const arma::mat& dY, const arma::mat& M) { return ops::dropout_backward(dY, M); },
                          "dY, mask (same shape) -> dY * mask.");
  m.def("l2_penalty_forward", [](const py::handle& W_, double lam) {
    const Arg W = arg("l2_penalty_forward", "W", W_);
    return ops::l2_penalty_forward(*W, lam);
  }, py::arg("W"), py::arg("lam"), "W (any shape), lam >= 0 -> (lam / 2) * sum(W**2).");
  m.def("l2_penalty_backward", [](const py::handle& W_, double lam) {
    const Arg W = arg("l2_penalty_backward", "W", W_);
    return like(ops::l2_penalty_backward(*W, lam), W);
  }, py::arg("W"), py::arg("lam"), "W (any shape), lam >= 0 -> lam * W.");

  bind_image_ops(m);
}

}  // namespace gradlab::python
