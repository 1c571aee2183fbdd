// The fast path against the reference: every kernel of gradlab/fast/kernels.hpp gives the same
// numbers, bit for bit, as the reference code it stands in for (ops::affine_forward,
// ops::affine_backward, ops::relu_forward, ops::relu_backward, ops::softmax_cross_entropy_forward,
// ops::softmax_cross_entropy_backward, optim::heavy_ball_step), at
// batches 1, 64 and 256, on one thread and on every thread the BLAS may use. And the comparison
// is one that can fail: deliberately broken kernels (a slice boundary off by one, the ReLU mask
// taken with >=, the velocity without its decay, the label's gradient written p - 1, the loss
// through log(s)) are told apart from their reference.
// The convolution's fast twin (gradlab/fast/conv.hpp) sums in another order (im2col and GEMM),
// so it is held to the reference within rounding, over strides, paddings and shapes.
#include <catch2/catch.hpp>

#include "gradlab/fast/blas.hpp"
#include "gradlab/fast/conv.hpp"
#include "gradlab/fast/kernels.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/conv2d.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/random.hpp"
#include "support.hpp"

#include <functional>
#include <string>
#include <vector>

using namespace gradlab;
using gradlab::checks::same_bits;
using gradlab::checks::thread_counts_here;

namespace {

// The batch sizes the issue of speed cares about: per-sample SGD, a small and a large batch.
const arma::uword batches[] = {1, 64, 256};

// Inputs of a 784-100 layer at batch B, with what makes elementwise code differ: exact zeros,
// a -0, a NaN and infinities among the pre-activations.
struct LayerData {
  arma::mat W, X, Z, dY;
  arma::vec b;
};

LayerData layer_data(arma::uword B, std::uint64_t seed) {
  Rng rng(seed);
  LayerData d;
  d.W = random_normal(100, 784, rng);
  d.b = random_normal(100, 1, rng);
  d.X = random_normal(784, B, rng);
  d.Z = random_normal(100, B, rng);
  d.dY = random_normal(100, B, rng);
  d.Z(0, 0) = 0.0;
  d.Z(1, 0) = -0.0;
  d.Z(2, 0) = arma::datum::nan;
  d.Z(3, 0) = arma::datum::inf;
  d.Z(4, 0) = -arma::datum::inf;
  for (arma::uword k = 5; k < d.Z.n_elem; k += 17) d.Z(k) = 0.0;
  return d;
}

// A kernel under comparison: the matrices it returns, computed from the data.
using Kernel = std::function<std::vector<arma::mat>(const LayerData&)>;

// Where `candidate` differs from `reference`, at each batch and thread count; empty when nowhere.
std::string first_difference(const Kernel& reference, const Kernel& candidate) {
  for (const int threads : thread_counts_here()) {
    fast::blas::ScopedThreads scoped(threads);
    for (const arma::uword B : batches) {
      const LayerData d = layer_data(B, 100 + B);
      const std::vector<arma::mat> want = reference(d), got = candidate(d);
      for (std::size_t k = 0; k < want.size(); ++k)
        if (k >= got.size() || !same_bits(want[k], got[k]))
          return "result " + std::to_string(k) + " at batch " + std::to_string(B) + " on " +
                 std::to_string(threads) + " thread(s)";
    }
  }
  return "";
}

// The kernels and their references, as Kernels.
std::vector<arma::mat> reference_affine_forward(const LayerData& d) {
  return {ops::affine_forward(d.W, d.b, d.X)};
}
std::vector<arma::mat> fast_affine_forward(const LayerData& d) {
  return {fast::affine_forward(d.W, d.b, d.X)};
}
std::vector<arma::mat> reference_relu(const LayerData& d) {
  return {ops::relu_forward(d.Z), ops::relu_backward(d.dY, d.Z)};
}
std::vector<arma::mat> fast_relu(const LayerData& d) {
  return {fast::relu_forward(d.Z), fast::relu_backward(d.dY, d.Z)};
}

// Ten classes' logits from the data (finite), with what makes a softmax differ: a column where
// the label's logit dominates (r ~ 1e-21: log(s) = 0 there and log1p(r) is not), a logit far below
// the others (its exponential underflows to 0), a tie for the largest logit, exact zeros and a
// -0, a column whose largest logit is a zero of either sign; labels that fall on the largest
// logit and off it.
struct LossData {
  arma::mat logits;
  arma::uvec labels;
};
LossData loss_data(const LayerData& d) {
  LossData l{4.0 * d.Z.rows(10, 19), arma::uvec(d.Z.n_cols)};
  for (arma::uword b = 0; b < l.labels.n_elem; ++b) l.labels(b) = (7 * b + 1) % 10;
  l.logits.col(0).fill(-25.0);  // the label's logit (1) dominates: the loss is log1p(r) alone
  l.logits(1, 0) = 25.0;
  l.logits(4, 0) = -1000.0;
  if (l.logits.n_cols > 1)
    l.logits.col(1) = arma::vec{2.5, 2.5, 0.0, -0.0, -1000.0, 1.0, -1.0, 0.5, 0.25, 2.0};
  if (l.logits.n_cols > 2)  // the largest logit a zero, -0 first
    l.logits.col(2) = arma::vec{-0.0, -3.0, 0.0, -1.0, -0.0, 0.0, -2.0, -0.5, -0.25, -7.0};
  return l;
}
// The loss (as a 1 x 1 matrix), the probabilities and dlogits, from one forward and backward.
template <class Forward, class Backward>
std::vector<arma::mat> softmax_cross_entropy(const LayerData& d, Forward&& forward,
                                             Backward&& backward) {
  const LossData l = loss_data(d);
  const ops::SoftmaxCrossEntropy f = forward(l.logits, l.labels);
  return {arma::mat{f.loss}, f.probs, backward(f.probs, l.labels)};
}
std::vector<arma::mat> reference_softmax_cross_entropy(const LayerData& d) {
  return softmax_cross_entropy(d, ops::softmax_cross_entropy_forward,
                               ops::softmax_cross_entropy_backward);
}
std::vector<arma::mat> fast_softmax_cross_entropy(const LayerData& d) {
  return softmax_cross_entropy(d, fast::softmax_cross_entropy_forward,
                               fast::softmax_cross_entropy_backward);
}

// Three heavy-ball steps of W (784 x 100 numbers) with gradients drawn from the data.
template <class Step>
std::vector<arma::mat> heavy_ball_steps(const LayerData& d, Step&& step) {
  arma::mat theta = d.W, v(arma::size(d.W), arma::fill::zeros);
  for (int k = 0; k < 3; ++k) {
    const arma::mat g = d.W * (0.1 * (k + 1)) + 0.5;
    step(v, theta, g, 0.9, 0.05);
  }
  return {v, theta};
}
std::vector<arma::mat> reference_heavy_ball(const LayerData& d) {
  return heavy_ball_steps(d, optim::heavy_ball_step);
}
std::vector<arma::mat> fast_heavy_ball(const LayerData& d) {
  return heavy_ball_steps(d, fast::heavy_ball_step);
}

}  // namespace

TEST_CASE("fast: affine_forward equals ops::affine_forward bit for bit at batches 1, 64, 256",
          "[fast][affine]") {
  REQUIRE(first_difference(reference_affine_forward, fast_affine_forward).empty());
}

TEST_CASE("fast: affine_backward and affine_backward_parameters equal ops::affine_backward bit for bit",
          "[fast][affine]") {
  // affine_backward's data has a NaN in Z (its X here); take the reference on the same input
  auto reference = [](const LayerData& d) {
    const ops::AffineGrads g =
        ops::affine_backward(d.dY, d.W.cols(0, 99), arma::mat(d.Z).replace(arma::datum::nan, 0.0));
    return std::vector<arma::mat>{g.dX, g.dW, g.db};
  };
  auto fast_kernel = [](const LayerData& d) {
    const ops::AffineGrads g =
        fast::affine_backward(d.dY, d.W.cols(0, 99), arma::mat(d.Z).replace(arma::datum::nan, 0.0));
    return std::vector<arma::mat>{g.dX, g.dW, g.db};
  };
  REQUIRE(first_difference(reference, fast_kernel).empty());
  auto parameters_only = [](const LayerData& d) {
    arma::mat dW(3, 3, arma::fill::value(7.0));  // wrong shapes on entry: resized
    arma::vec db(1, arma::fill::value(7.0));
    const arma::mat Z = arma::mat(d.Z).replace(arma::datum::nan, 0.0);
    fast::affine_backward_parameters(d.dY, Z, dW, db);
    const ops::AffineGrads g = ops::affine_backward(d.dY, d.W.cols(0, 99), Z);
    return std::vector<arma::mat>{g.dX, dW, db};
  };
  REQUIRE(first_difference(reference, parameters_only).empty());
}

TEST_CASE("fast: relu_forward and relu_backward equal ops::relu_* bit for bit, NaN, -0 and inf included",
          "[fast][relu]") {
  REQUIRE(first_difference(reference_relu, fast_relu).empty());
}

TEST_CASE("fast: softmax_cross_entropy_forward and _backward equal ops::softmax_cross_entropy_* bit for bit",
          "[fast][loss]") {
  REQUIRE(first_difference(reference_softmax_cross_entropy, fast_softmax_cross_entropy).empty());
  // a logit of NaN or +inf makes the loss NaN in both, and the same probabilities bit for bit
  for (const double bad : {arma::datum::nan, arma::datum::inf}) {
    arma::mat logits(10, 3, arma::fill::value(0.5));
    logits(4, 1) = bad;
    const arma::uvec labels{0, 4, 9};
    const ops::SoftmaxCrossEntropy want = ops::softmax_cross_entropy_forward(logits, labels),
                                   got = fast::softmax_cross_entropy_forward(logits, labels);
    CHECK(std::isnan(got.loss));
    CHECK(std::isnan(want.loss));
    CHECK(same_bits(want.probs, got.probs));
  }
  // the same errors for labels that do not fit
  CHECK_THROWS_WITH(fast::softmax_cross_entropy_forward(arma::mat(3, 2), arma::uvec{0, 3}),
                    Catch::Contains("fast::softmax_cross_entropy_forward"));
  CHECK_THROWS_WITH(fast::softmax_cross_entropy_backward(arma::mat(3, 2), arma::uvec{0}),
                    Catch::Contains("fast::softmax_cross_entropy_backward"));
}

TEST_CASE("fast: heavy_ball_step equals optim::heavy_ball_step bit for bit", "[fast][sgd]") {
  REQUIRE(first_difference(reference_heavy_ball, fast_heavy_ball).empty());
}

TEST_CASE("fast: the comparison tells deliberately broken kernels from their references",
          "[fast][mutation]") {
  // the bias added to every column but the last (a slice boundary off by one)
  auto bias_off_by_one = [](const LayerData& d) {
    arma::mat Y = fast::affine_forward(d.W, d.b, d.X);
    Y.col(Y.n_cols - 1) -= d.b;
    return std::vector<arma::mat>{Y};
  };
  CHECK_THAT(first_difference(reference_affine_forward, bias_off_by_one),
             Catch::Contains("result 0 at batch 1"));
  // the ReLU mask taken as X >= 0: differs at the exact zeros only
  auto mask_at_zero = [](const LayerData& d) {
    arma::mat dX = fast::relu_backward(d.dY, d.Z);
    for (arma::uword k = 0; k < d.Z.n_elem; ++k)
      if (d.Z(k) == 0.0) dX(k) = d.dY(k);
    return std::vector<arma::mat>{fast::relu_forward(d.Z), dX};
  };
  CHECK_THAT(first_difference(reference_relu, mask_at_zero), Catch::Contains("result 1"));
  // ReLU written as max(x, 0) with std::max's argument order: NaN becomes 0 (divergence hidden)
  auto nan_swallowed = [](const LayerData& d) {
    arma::mat Y = d.Z;
    Y.transform([](double x) { return x > 0.0 ? x : 0.0; });
    return std::vector<arma::mat>{Y, fast::relu_backward(d.dY, d.Z)};
  };
  CHECK_THAT(first_difference(reference_relu, nan_swallowed), Catch::Contains("result 0"));
  // the heavy ball without its decay: v = v + g
  auto no_decay = [](const LayerData& d) {
    return heavy_ball_steps(d, [](arma::mat& v, arma::mat& theta, const arma::mat& g, double,
                                  double lr) { fast::heavy_ball_step(v, theta, g, 1.0, lr); });
  };
  CHECK_THAT(first_difference(reference_heavy_ball, no_decay), Catch::Contains("result 0"));
  // the label's entry of dlogits written (p - 1) / B: the same to rounding, other bits
  auto label_as_p_minus_one = [](const LayerData& d) {
    std::vector<arma::mat> got = fast_softmax_cross_entropy(d);
    const LossData l = loss_data(d);
    for (arma::uword b = 0; b < l.labels.n_elem; ++b)
      got[2](l.labels(b), b) = (got[1](l.labels(b), b) - 1.0) / static_cast<double>(l.labels.n_elem);
    return got;
  };
  CHECK_THAT(first_difference(reference_softmax_cross_entropy, label_as_p_minus_one),
             Catch::Contains("result 2"));
  // the loss through log(s) = log(1 + r): r is lost where one logit dominates
  auto loss_through_log_s = [](const LayerData& d) {
    std::vector<arma::mat> got = fast_softmax_cross_entropy(d);
    const LossData l = loss_data(d);
    const arma::rowvec m = arma::max(l.logits, 0);
    double total = 0.0;
    for (arma::uword b = 0; b < l.labels.n_elem; ++b)
      total += (m(b) - l.logits(l.labels(b), b)) +
               std::log(arma::accu(arma::exp(l.logits.col(b) - m(b))));
    got[0](0) = total / static_cast<double>(l.labels.n_elem);
    return got;
  };
  CHECK_THAT(first_difference(reference_softmax_cross_entropy, loss_through_log_s),
             Catch::Contains("result 0"));
  // db summed in another order (last column first): the same sum to rounding, other bits
  auto db_other_order = [](const LayerData& d) {
    const arma::mat Z = arma::mat(d.Z).replace(arma::datum::nan, 0.0);
    ops::AffineGrads g = fast::affine_backward(d.dY, d.W.cols(0, 99), Z);
    g.db = arma::sum(arma::fliplr(d.dY), 1);
    return std::vector<arma::mat>{g.dX, g.dW, g.db};
  };
  auto reference = [](const LayerData& d) {
    const ops::AffineGrads g =
        ops::affine_backward(d.dY, d.W.cols(0, 99), arma::mat(d.Z).replace(arma::datum::nan, 0.0));
    return std::vector<arma::mat>{g.dX, g.dW, g.db};
  };
  CHECK_THAT(first_difference(reference, db_other_order), Catch::Contains("result 2 at batch 64"));
}

namespace {
// max |a - b| / max |b|: the normwise relative difference (an entry that nearly cancels carries
// the rounding of its terms, which is relative to the matrix's scale, not to its own).
double normwise_difference(const arma::mat& a, const arma::mat& b) {
  REQUIRE(arma::size(a) == arma::size(b));
  const double scale = arma::abs(b).max();
  return scale == 0.0 ? arma::abs(a).max() : arma::abs(a - b).max() / scale;
}
}  // namespace

TEST_CASE("fast conv2d: im2col + GEMM equals the reference forward and backward to 1e-12",
          "[fast][conv2d]") {
  struct Geometry {
    ops::ImageShape in;
    arma::uword kernels;
    ops::Conv2dOptions options;
    arma::uword B;
  };
  const Geometry geometries[] = {
      {{3, 8, 8}, 4, {3, 3, 1, 1}, 5},  // a first layer: 3x3, padding 1, the size kept
      {{2, 7, 9}, 3, {3, 2, 2, 1}, 3},  // non-square image and kernel, stride 2
      {{1, 6, 5}, 2, {5, 3, 3, 2}, 2},  // padding 2, stride 3: rows left unvisited
      {{4, 5, 5}, 3, {1, 1, 1, 0}, 4},  // 1x1: a per-pixel affine map of the channels
      {{2, 6, 6}, 3, {2, 2, 2, 0}, 1},  // one image, windows side by side
      {{2, 4, 1}, 2, {3, 5, 3, 2}, 2},  // an image one column wide: most kernel columns see padding only
      {{3, 32, 32}, 8, {3, 3, 1, 1}, 20},  // 20 images in a slice per thread, dW and db per slice
  };
  Rng rng(31);
  for (const Geometry& g : geometries) {
    const arma::mat W = random_normal(g.kernels, g.in.channels * g.options.kernel_h * g.options.kernel_w, rng);
    const arma::vec b = random_normal(g.kernels, 1, rng);
    const arma::mat X = random_normal(g.in.size(), g.B, rng);
    const arma::mat Y = ops::conv2d_forward(X, g.in, W, b, g.options);
    const arma::mat dY = random_normal(Y.n_rows, Y.n_cols, rng);
    const ops::Conv2dGrads want = ops::conv2d_backward(dY, X, g.in, W, g.options);
    for (const int threads : thread_counts_here()) {
      fast::blas::ScopedThreads scoped(threads);
      INFO("image " << ops::to_string(g.in) << ", " << g.kernels << " kernels " << g.options.kernel_h << "x"
                    << g.options.kernel_w << ", stride " << g.options.stride << ", padding "
                    << g.options.padding << ", batch " << g.B << ", " << threads << " thread(s)");
      CHECK(normwise_difference(fast::conv2d_forward(X, g.in, W, b, g.options), Y) <= 1e-12);
      const ops::Conv2dGrads got = fast::conv2d_backward(dY, X, g.in, W, g.options);
      CHECK(normwise_difference(got.dX, want.dX) <= 1e-12);
      CHECK(normwise_difference(got.dW, want.dW) <= 1e-12);
      CHECK(normwise_difference(got.db, want.db) <= 1e-12);
    }
  }
  // The same errors as the reference, named after the fast function.
  CHECK_THROWS_WITH(fast::conv2d_forward(arma::mat(50, 2), {2, 4, 4}, arma::mat(3, 18), arma::vec(3), {3, 3, 1, 1}),
                    Catch::Contains("fast::conv2d_forward") && Catch::Contains("50x2"));
  // And the comparison can fail: dW without the batch sum is far from the reference.
  const arma::mat X = random_normal(18, 3, rng), W = random_normal(2, 18, rng);
  const ops::ImageShape in{2, 3, 3};
  const arma::mat dY = random_normal(2 * 9, 3, rng);
  const arma::mat one_image = fast::conv2d_backward(dY.col(0), X.col(0), in, W, {3, 3, 1, 1}).dW;
  CHECK(normwise_difference(one_image, ops::conv2d_backward(dY, X, in, W, {3, 3, 1, 1}).dW) > 1e-3);
}
