#include "gradlab/check/op_cases.hpp"

#include "gradlab/labels.hpp"
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
#include "gradlab/random.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace gradlab::check {

namespace {

using Mats = std::vector<arma::mat>;

// The data a case's inputs point into; owned by the Differentiable.
struct Data {
  arma::mat A, B, C;  // up to three perturbed inputs
  arma::mat D, E;     // fixed data (targets, running statistics, ...)
  arma::uvec labels;
};

// One case shape: D input features, M outputs (for affine), B samples, and a scale for inputs.
struct Dims {
  std::string kind;
  arma::uword D, M, B;
  double scale;
  bool small;
};

std::vector<Dims> standard_dims(arma::uword batch) {
  if (batch > 0) return {{"batch " + std::to_string(batch), 6, 4, batch, 1.0, false}};
  return {{"batch 1", 5, 3, 1, 1.0, true},
          {"non-square", 7, 4, 3, 1.0, true},
          {"batch 64", 10, 6, 64, 1.0, false},
          {"large magnitude", 6, 5, 8, 100.0, false}};
}

std::string dims_text(const arma::mat& A) { return shape_of(A); }

// The image ops' geometry for each kind of case: the image shape of X, the number of kernels,
// the convolution's and the pools' windows, and the batch. Small enough that perturbing every
// element stays quick (the reference ops are direct sums).
struct ImageDims {
  ops::ImageShape image;
  arma::uword kernels;
  ops::Conv2dOptions conv;
  ops::Pool2dOptions pool;
  arma::uword B;
};

ImageDims image_dims(const Dims& d) {
  // batch 1: 2 channels of 5x5, 3 kernels 3x3 with padding 1 (the output keeps 5x5); pools
  // 2x2 with stride 2 leave the last row and column unvisited
  if (d.kind == "batch 1") return {{2, 5, 5}, 3, {3, 3, 1, 1}, {2, 2, 2}, 1};
  // non-square: a 5x6 image, a 3x2 kernel with stride 2 and padding 1 (output 3x4); pools 3x2
  // with stride 2, overlapping along the rows
  if (d.kind == "non-square") return {{2, 5, 6}, 3, {3, 2, 2, 1}, {3, 2, 2}, 3};
  if (d.kind == "batch 64") return {{1, 4, 4}, 3, {3, 3, 1, 1}, {2, 2, 2}, 64};
  // large magnitude: a 3-channel 8x8 image, as a network's first layer sees; 3x3 pools with
  // stride 2 (overlapping)
  if (d.kind == "large magnitude") return {{3, 8, 8}, 4, {3, 3, 1, 1}, {3, 3, 2}, 2};
  return {{2, 5, 5}, 3, {3, 3, 1, 1}, {2, 2, 2}, d.B};  // "batch N"
}

std::string window_text(const ops::Conv2dOptions& o) {
  return std::to_string(o.kernel_h) + "x" + std::to_string(o.kernel_w) + " stride " +
         std::to_string(o.stride) + " pad " + std::to_string(o.padding);
}

std::string window_text(const ops::Pool2dOptions& o) {
  return std::to_string(o.window_h) + "x" + std::to_string(o.window_w) + " stride " +
         std::to_string(o.stride);
}

// An elementwise activation: X -> Y, backward from (dY, saved) where saved is X or Y.
OpCase elementwise(const std::string& op, const Dims& d, Rng& rng,
                   arma::mat (*forward)(const arma::mat&),
                   arma::mat (*backward)(const arma::mat&, const arma::mat&), bool from_output) {
  auto data = std::make_shared<Data>();
  data->A = d.scale * random_normal(d.D, d.B, rng);
  OpCase c{op, "X " + dims_text(data->A), d.kind, d.small, {}};
  c.fn.inputs = {{"X", &data->A}};
  c.fn.forward = [data, forward] { return forward(data->A); };
  c.fn.backward = [data, forward, backward, from_output](const arma::mat& G) {
    return Mats{backward(G, from_output ? forward(data->A) : data->A)};
  };
  c.fn.owner = data;
  return c;
}

// A scalar loss L(input): forward returns the 1x1 matrix [L]; backward scales by G(0,0).
template <class Forward, class Backward>
OpCase scalar_loss(const std::string& op, const std::string& shape, const Dims& d,
                   std::shared_ptr<Data> data, Forward forward, Backward backward,
                   const std::string& input_name = "logits") {
  OpCase c{op, shape, d.kind, d.small, {}};
  c.fn.inputs = {{input_name, &data->A}};
  c.fn.forward = [data, forward] { return arma::mat{forward(*data)}; };
  c.fn.backward = [data, backward](const arma::mat& G) { return Mats{G(0, 0) * backward(*data)}; };
  c.fn.owner = data;
  return c;
}

arma::uvec random_labels(arma::uword classes, arma::uword B, Rng& rng) {
  arma::uvec labels(B);
  for (auto& l : labels) l = std::min(classes - 1, static_cast<arma::uword>(uniform01(rng) * classes));
  return labels;
}

// The hinge losses are piecewise linear: a finite difference is exact unless its step crosses a
// margin of 0 (a kink). The tour's cases must PASS, not KINK, so a score whose margin lies
// within 1% of the input scale of 0 is moved by 2% of the scale, which leaves the margin at
// least 1% of the scale from 0. (The kink itself is shown on purpose in checks/check_hinge.cpp.)
void keep_off_kink(double& score, double margin, double scale) {
  if (std::abs(margin) < 0.01 * scale) score += (margin < 0.0 ? -0.02 : 0.02) * scale;
}

std::vector<OpCase> make_cases(const std::string& op, const Dims& d, Rng& rng) {
  if (op == "relu")
    return {elementwise(op, d, rng, ops::relu_forward, ops::relu_backward, false)};
  if (op == "leaky_relu")
    return {elementwise(
        op, d, rng, [](const arma::mat& X) { return ops::leaky_relu_forward(X); },
        [](const arma::mat& dY, const arma::mat& X) { return ops::leaky_relu_backward(dY, X); },
        false)};
  if (op == "tanh")
    return {elementwise(op, d, rng, ops::tanh_forward, ops::tanh_backward, true)};
  if (op == "sigmoid")
    return {elementwise(op, d, rng, ops::sigmoid_forward, ops::sigmoid_backward, true)};
  if (op == "affine") {
    auto data = std::make_shared<Data>();
    data->A = d.scale * random_normal(d.M, d.D, rng);  // W
    data->B = d.scale * random_normal(d.M, 1, rng);    // b
    data->C = d.scale * random_normal(d.D, d.B, rng);  // X
    OpCase c{op, "W " + dims_text(data->A) + ", b " + std::to_string(d.M) + ", X " + dims_text(data->C),
             d.kind, d.small, {}};
    c.fn.inputs = {{"W", &data->A}, {"b", &data->B}, {"X", &data->C}};
    c.fn.forward = [data] { return ops::affine_forward(data->A, data->B, data->C); };
    c.fn.backward = [data](const arma::mat& G) {
      ops::AffineGrads g = ops::affine_backward(G, data->A, data->C);
      return Mats{g.dW, g.db, g.dX};
    };
    c.fn.owner = data;
    return {c};
  }
  if (op == "softmax") {
    auto data = std::make_shared<Data>();
    data->A = (d.scale > 1.0 ? 10.0 : 1.0) * d.scale * random_normal(d.D, d.B, rng);
    OpCase c{op, "logits " + dims_text(data->A), d.kind, d.small, {}};
    c.fn.inputs = {{"logits", &data->A}};
    c.fn.forward = [data] { return ops::softmax_forward(data->A); };
    c.fn.backward = [data](const arma::mat& G) {
      return Mats{ops::softmax_backward(G, ops::softmax_forward(data->A))};
    };
    c.fn.owner = data;
    std::vector<OpCase> cases{c};
    if (d.B == 1) {
      // The same derivative through the explicit Jacobian matrix diag(s) - s s^T.
      OpCase j = c;
      j.op = "softmax_jacobian";
      j.fn.backward = [data](const arma::mat& G) {
        const arma::mat J = ops::softmax_jacobian(ops::softmax_forward(data->A).col(0));
        return Mats{arma::mat(J.t() * G)};
      };
      cases.push_back(j);
    }
    return cases;
  }
  if (op == "log_softmax") {
    auto data = std::make_shared<Data>();
    data->A = (d.scale > 1.0 ? 10.0 : 1.0) * d.scale * random_normal(d.D, d.B, rng);
    OpCase c{op, "logits " + dims_text(data->A), d.kind, d.small, {}};
    c.fn.inputs = {{"logits", &data->A}};
    c.fn.forward = [data] { return ops::log_softmax_forward(data->A); };
    c.fn.backward = [data](const arma::mat& G) {
      return Mats{ops::log_softmax_backward(G, ops::log_softmax_forward(data->A))};
    };
    c.fn.owner = data;
    return {c};
  }
  if (op == "cross_entropy") {
    // Probabilities away from 0: the textbook pair is unstable near 0 by construction.
    auto data = std::make_shared<Data>();
    // (at p = 0.01 the truncation error h^2 / (3 p^2) of -log p reaches 3e-7 at the default
    // step; 0.02 keeps the stress below 1e-7)
    data->A = random_uniform(d.D, d.B, rng, d.scale > 1.0 ? 0.02 : 0.05, 1.0);
    data->D = one_hot(random_labels(d.D, d.B, rng), d.D);
    return {scalar_loss(
        op, "probs " + dims_text(data->A) + ", one-hot targets", d, data,
        [](const Data& s) { return ops::cross_entropy_forward(s.A, s.D); },
        [](const Data& s) { return ops::cross_entropy_backward(s.A, s.D); }, "probs")};
  }
  if (op == "softmax_cross_entropy") {
    auto data = std::make_shared<Data>();
    // large magnitude: logits of +-1000, where the unfused pair overflows
    data->A = d.scale > 1.0 ? random_uniform(d.D, d.B, rng, -1000.0, 1000.0)
                            : random_normal(d.D, d.B, rng);
    data->labels = random_labels(d.D, d.B, rng);
    return {scalar_loss(
        op, "logits " + dims_text(data->A) + ", labels " + std::to_string(d.B), d, data,
        [](const Data& s) { return ops::softmax_cross_entropy_forward(s.A, s.labels).loss; },
        [](const Data& s) {
          return ops::softmax_cross_entropy_backward(
              ops::softmax_cross_entropy_forward(s.A, s.labels).probs, s.labels);
        })};
  }
  if (op == "nll") {
    auto data = std::make_shared<Data>();
    data->A = ops::log_softmax_forward(d.scale * random_normal(d.D, d.B, rng));
    data->labels = random_labels(d.D, d.B, rng);
    return {scalar_loss(
        op, "logprobs " + dims_text(data->A) + ", labels " + std::to_string(d.B), d, data,
        [](const Data& s) { return ops::nll_forward(s.A, s.labels); },
        [](const Data& s) { return ops::nll_backward(s.A, s.labels); }, "logprobs")};
  }
  if (op == "multiclass_hinge") {
    auto data = std::make_shared<Data>();
    data->A = d.scale * random_normal(d.D, d.B, rng);
    data->labels = random_labels(d.D, d.B, rng);
    for (arma::uword b = 0; b < d.B; ++b)
      for (arma::uword j = 0; j < d.D; ++j)
        if (j != data->labels(b))  // margin_jb = scores_jb - scores_{label, b} + 1
          keep_off_kink(data->A(j, b), data->A(j, b) - data->A(data->labels(b), b) + 1.0, d.scale);
    return {scalar_loss(
        op, "scores " + dims_text(data->A) + ", labels " + std::to_string(d.B), d, data,
        [](const Data& s) { return ops::multiclass_hinge_forward(s.A, s.labels); },
        [](const Data& s) { return ops::multiclass_hinge_backward(s.A, s.labels); }, "scores")};
  }
  if (op == "binary_hinge") {
    auto data = std::make_shared<Data>();
    data->A = d.scale * random_normal(1, d.B, rng);
    data->labels = random_labels(2, d.B, rng);
    for (arma::uword b = 0; b < d.B; ++b) {  // the kink: 1 - y_b s_b = 0, y_b = 2 label - 1
      const double y = data->labels(b) == 1 ? 1.0 : -1.0;
      keep_off_kink(data->A(0, b), y * data->A(0, b) - 1.0, d.scale);
    }
    return {scalar_loss(
        op, "scores " + dims_text(data->A) + ", labels " + std::to_string(d.B) + " (0/1)", d, data,
        [](const Data& s) { return ops::binary_hinge_forward(s.A, s.labels); },
        [](const Data& s) { return ops::binary_hinge_backward(s.A, s.labels); }, "scores")};
  }
  // Sums of squares (mse, l2_penalty): their large-magnitude case is scale 10, not 100. At 100
  // the loss reaches 1e4 to 1e5 and the rounding floor eps |L| / h of the difference quotient
  // (not the op) limits the check to about 1e-6.
  const double square_scale = std::min(d.scale, 10.0);
  if (op == "mse") {
    auto data = std::make_shared<Data>();
    data->A = square_scale * random_normal(d.D, d.B, rng);
    data->D = one_hot(random_labels(d.D, d.B, rng), d.D);
    return {scalar_loss(
        op, "Y " + dims_text(data->A) + ", one-hot targets", d, data,
        [](const Data& s) { return ops::mse_forward(s.A, s.D); },
        [](const Data& s) { return ops::mse_backward(s.A, s.D); }, "Y")};
  }
  if (op == "batchnorm" || op == "batchnorm_eval") {
    const bool eval = op == "batchnorm_eval";
    auto data = std::make_shared<Data>();
    // Training mode needs two samples; its "batch 1" case is the smallest batch, 2.
    const arma::uword B = eval ? d.B : std::max<arma::uword>(d.B, 2);
    // large magnitude: features of scale 100 around offsets of 1000
    data->A = d.scale * random_normal(d.D, B, rng);
    if (d.scale > 1.0) data->A.each_col() += 10.0 * d.scale * random_normal(d.D, 1, rng);
    data->B = 1.0 + 0.5 * random_normal(d.D, 1, rng);  // gamma
    data->C = 0.5 * random_normal(d.D, 1, rng);        // beta
    data->D = d.scale * random_normal(d.D, 1, rng);    // running mean
    data->E = d.scale * d.scale * random_uniform(d.D, 1, rng, 0.5, 2.0);  // running variance
    OpCase c{op, "X " + dims_text(data->A) + ", gamma " + std::to_string(d.D) + ", beta " +
                     std::to_string(d.D),
             B == d.B ? d.kind : "batch 2", d.small, {}};
    c.fn.inputs = {{"X", &data->A}, {"gamma", &data->B}, {"beta", &data->C}};
    auto forward = [data, eval] {
      return eval ? ops::batchnorm_forward_eval(data->A, data->B, data->C, data->D, data->E)
                  : ops::batchnorm_forward(data->A, data->B, data->C);
    };
    c.fn.forward = [forward] { return forward().Y; };
    c.fn.backward = [data, eval, forward](const arma::mat& G) {
      const ops::BatchNormForward f = forward();
      const ops::BatchNormGrads g = eval ? ops::batchnorm_backward_eval(G, data->B, f.cache)
                                         : ops::batchnorm_backward(G, data->B, f.cache);
      return Mats{g.dX, g.dgamma, g.dbeta};
    };
    c.fn.owner = data;
    return {c};
  }
  if (op == "dropout") {
    auto data = std::make_shared<Data>();
    data->A = d.scale * random_normal(d.D, d.B, rng);
    const std::uint64_t mask_seed = rng();
    OpCase c{op, "X " + dims_text(data->A) + ", p 0.3", d.kind, d.small, {}};
    c.fn.inputs = {{"X", &data->A}};
    // The mask is drawn once per forward from a generator seeded the same way each time:
    // a fixed mask, as within one training step.
    auto forward = [data, mask_seed] {
      Rng mask_rng(mask_seed);
      return ops::dropout_forward(data->A, 0.3, mask_rng);
    };
    c.fn.forward = [forward] { return forward().Y; };
    c.fn.backward = [forward](const arma::mat& G) {
      return Mats{ops::dropout_backward(G, forward().mask)};
    };
    c.fn.owner = data;
    return {c};
  }
  if (op == "conv2d") {
    const ImageDims g = image_dims(d);
    auto data = std::make_shared<Data>();
    const arma::uword taps = g.image.channels * g.conv.kernel_h * g.conv.kernel_w;  // C*kh*kw
    // large magnitude: images and biases of scale 100, weights of scale 1 (each output sums
    // C*kh*kw products: weights of 100 too would make the outputs' rounding, not the op, the
    // limit of forward differences)
    data->A = random_normal(g.kernels, taps, rng);                // W
    data->B = d.scale * random_normal(g.kernels, 1, rng);         // b
    data->C = d.scale * random_normal(g.image.size(), g.B, rng);  // X
    OpCase c{op, "W " + dims_text(data->A) + ", b " + std::to_string(g.kernels) + ", X " +
                     dims_text(data->C) + " (" + ops::to_string(g.image) + "), " + window_text(g.conv),
             d.kind, d.small, {}};
    c.image = g.image;
    c.conv = g.conv;
    c.fn.inputs = {{"W", &data->A}, {"b", &data->B}, {"X", &data->C}};
    c.fn.forward = [data, g] { return ops::conv2d_forward(data->C, g.image, data->A, data->B, g.conv); };
    c.fn.backward = [data, g](const arma::mat& G) {
      ops::Conv2dGrads grads = ops::conv2d_backward(G, data->C, g.image, data->A, g.conv);
      return Mats{grads.dW, grads.db, grads.dX};
    };
    c.fn.owner = data;
    return {c};
  }
  if (op == "max_pool2d" || op == "avg_pool2d") {
    // Continuous random inputs: no two entries of a window tie (max_pool2d's kinks are checked
    // on purpose in checks/check_image_ops.cpp).
    const ImageDims g = image_dims(d);
    auto data = std::make_shared<Data>();
    data->A = d.scale * random_normal(g.image.size(), g.B, rng);
    OpCase c{op, "X " + dims_text(data->A) + " (" + ops::to_string(g.image) + "), " + window_text(g.pool),
             d.kind, d.small, {}};
    c.image = g.image;
    c.pool = g.pool;
    c.fn.inputs = {{"X", &data->A}};
    if (op == "max_pool2d") {
      c.fn.forward = [data, g] { return ops::max_pool2d_forward(data->A, g.image, g.pool).Y; };
      c.fn.backward = [data, g](const arma::mat& G) {
        return Mats{ops::max_pool2d_backward(G, ops::max_pool2d_forward(data->A, g.image, g.pool).argmax, g.image)};
      };
    } else {
      c.fn.forward = [data, g] { return ops::avg_pool2d_forward(data->A, g.image, g.pool); };
      c.fn.backward = [g](const arma::mat& G) { return Mats{ops::avg_pool2d_backward(G, g.image, g.pool)}; };
    }
    c.fn.owner = data;
    return {c};
  }
  if (op == "l2_penalty") {
    auto data = std::make_shared<Data>();
    data->A = square_scale * random_normal(d.M, d.D, rng);
    return {scalar_loss(
        op, "W " + dims_text(data->A) + ", lambda 0.1", d, data,
        [](const Data& s) { return ops::l2_penalty_forward(s.A, 0.1); },
        [](const Data& s) { return ops::l2_penalty_backward(s.A, 0.1); }, "W")};
  }
  throw std::invalid_argument("op_cases: unknown op '" + op + "'");
}

}  // namespace

const std::vector<std::string>& op_names() {
  static const std::vector<std::string> names{
      "relu",    "leaky_relu", "tanh",          "sigmoid", "affine",
      "softmax", "log_softmax", "cross_entropy", "softmax_cross_entropy", "nll",
      "mse",     "batchnorm",  "batchnorm_eval", "dropout", "l2_penalty",
      "multiclass_hinge", "binary_hinge", "conv2d", "max_pool2d", "avg_pool2d"};
  return names;
}

std::vector<OpCase> op_cases(const std::string& op, arma::uword batch, std::uint64_t seed) {
  const auto& names = op_names();
  if (std::find(names.begin(), names.end(), op) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("op_cases: unknown op '" + op + "' (known: " + known + ")");
  }
  std::vector<OpCase> cases;
  Rng rng(seed);
  for (const Dims& d : standard_dims(batch))
    for (OpCase& c : make_cases(op, d, rng)) cases.push_back(std::move(c));
  return cases;
}

}  // namespace gradlab::check
