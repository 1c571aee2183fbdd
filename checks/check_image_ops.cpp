// The image ops beyond the tour's finite-difference checks (checks/check_ops.cpp): the layout on
// hand-made images, the checker failing deliberately wrong convolution backwards (dW without the
// batch sum, dX with the kernel not flipped), max pooling's ties as kinks held to the
// subgradient bracket. Their errors: checks/check_shapes.cpp.
#include "gradlab/check/checker.hpp"
#include "gradlab/ops/avg_pool2d.hpp"
#include "gradlab/ops/conv2d.hpp"
#include "gradlab/ops/max_pool2d.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace gradlab;
using check::Verdict;
using Mats = std::vector<arma::mat>;

namespace {

struct Data {
  arma::mat W, b, X;
};

const ops::ImageShape image{2, 5, 5};
const ops::Conv2dOptions same{3, 3, 1, 1};  // 3x3, padding 1: the output keeps 5x5

// conv2d on 2 channels of 5x5, 3 kernels, a batch of 4, with the given dX and dW rules.
using ConvBackward = std::function<ops::Conv2dGrads(const arma::mat& G, const Data& d)>;
check::Differentiable conv_with(const ConvBackward& backward) {
  auto d = std::make_shared<Data>();
  Rng rng(17);
  d->W = random_normal(3, image.channels * 9, rng);
  d->b = random_normal(3, 1, rng);
  d->X = random_normal(image.size(), 4, rng);
  return {{{"W", &d->W}, {"b", &d->b}, {"X", &d->X}},
          [d] { return ops::conv2d_forward(d->X, image, d->W, d->b, same); },
          [d, backward](const arma::mat& G) {
            const ops::Conv2dGrads g = backward(G, *d);
            return Mats{g.dW, g.db, g.dX};
          },
          d};
}

ops::Conv2dGrads right_backward(const arma::mat& G, const Data& d) {
  return ops::conv2d_backward(G, d.X, image, d.W, same);
}

// Each kernel W[k, c] turned by 180 degrees: (u, v) -> (kh - 1 - u, kw - 1 - v).
arma::mat flipped(const arma::mat& W, arma::uword channels, arma::uword kh, arma::uword kw) {
  arma::mat F(arma::size(W));
  for (arma::uword k = 0; k < W.n_rows; ++k)
    for (arma::uword c = 0; c < channels; ++c)
      for (arma::uword u = 0; u < kh; ++u)
        for (arma::uword v = 0; v < kw; ++v)
          F(k, (c * kh + u) * kw + v) = W(k, (c * kh + (kh - 1 - u)) * kw + (kw - 1 - v));
  return F;
}

const check::TensorResult& tensor(const check::CheckResult& r, const std::string& name) {
  for (const auto& t : r.tensors)
    if (t.name == name) return t;
  FAIL("no tensor " << name);
  return r.tensors.front();
}

// One channel of 4x4 in 2x2 windows with stride 2, each window holding its maximum twice (the
// tie is never at the window's top-left entry, which is smaller).
arma::mat tied_image() {
  return arma::vec{0.1, 0.9, -0.3, 0.2,
                   0.9, 0.4, 0.2, -1.0,
                   -2.0, 1.5, 0.0, 0.7,
                   1.5, 1.5, 0.7, 0.5};
}

// max_pool2d on tied_image with the given backward (dY, X) -> dX.
using PoolBackward = std::function<arma::mat(const arma::mat& G, const arma::mat& X)>;
check::Differentiable max_pool_with(const PoolBackward& backward) {
  auto d = std::make_shared<Data>();
  d->X = tied_image();
  const ops::ImageShape in{1, 4, 4};
  return {{{"X", &d->X}},
          [d, in] { return ops::max_pool2d_forward(d->X, in, {2, 2, 2}).Y; },
          [d, backward](const arma::mat& G) { return Mats{backward(G, d->X)}; },
          d};
}

}  // namespace

TEST_CASE("conv2d: the layout, row c*H*W + i*W + j, on hand-made kernels", "[conv2d][layout]") {
  Rng rng(2);
  const arma::mat X = random_normal(image.size(), 3, rng);
  // The identity kernel (1 at the centre of channel c's 3x3, 0 elsewhere) with padding 1 copies
  // channel c: two kernels picking channels 1 and 0 swap the channels.
  arma::mat W(2, image.channels * 9, arma::fill::zeros);
  W(0, 1 * 9 + 4) = 1.0;
  W(1, 0 * 9 + 4) = 1.0;
  const arma::mat Y = ops::conv2d_forward(X, image, W, arma::vec{0.5, -1.0}, same);
  REQUIRE(arma::size(Y) == arma::size(X));
  CHECK(arma::approx_equal(Y.rows(0, 24), X.rows(25, 49) + 0.5, "absdiff", 1e-15));
  CHECK(arma::approx_equal(Y.rows(25, 49), X.rows(0, 24) - 1.0, "absdiff", 1e-15));
  // A 1x2 kernel of ones with stride 2 and no padding: Y[0, i, j] = X[0, 2i, 2j] + X[0, 2i, 2j + 1]
  const ops::Conv2dOptions pairs{1, 2, 2, 0};
  const arma::mat Y2 = ops::conv2d_forward(X.rows(0, 24), {1, 5, 5}, arma::mat{{1.0, 1.0}}, arma::vec{0.0}, pairs);
  REQUIRE(Y2.n_rows == 3 * 2);  // Ho = (5 - 1) / 2 + 1 = 3, Wo = (5 - 2) / 2 + 1 = 2
  for (arma::uword i = 0; i < 3; ++i)
    for (arma::uword j = 0; j < 2; ++j)
      CHECK(Y2(i * 2 + j, 1) == X(2 * i * 5 + 2 * j, 1) + X(2 * i * 5 + 2 * j + 1, 1));
}

TEST_CASE("conv2d: a dW without the batch sum fails the checker, in dW alone",
          "[conv2d][checker]") {
  CHECK(check::check_vjp(conv_with(right_backward)).verdict() == Verdict::pass);
  // The bug: dW from the first image only, as if each image had weights of its own.
  const check::CheckResult bad = check::check_vjp(conv_with([](const arma::mat& G, const Data& d) {
    ops::Conv2dGrads g = right_backward(G, d);
    g.dW = ops::conv2d_backward(G.col(0), d.X.col(0), image, d.W, same).dW;
    return g;
  }));
  REQUIRE(bad.verdict() == Verdict::fail);
  CHECK(tensor(bad, "dW").failed > 0);
  CHECK(tensor(bad, "db").verdict() == Verdict::pass);
  CHECK(tensor(bad, "dX").verdict() == Verdict::pass);
}

TEST_CASE("conv2d: a dX with the kernel not flipped fails the checker, in dX alone",
          "[conv2d][checker]") {
  // The bug: the transposed convolution run with each kernel as it is, not turned by 180
  // degrees (the same as the right rule applied to the flipped kernels).
  const check::CheckResult bad = check::check_vjp(conv_with([](const arma::mat& G, const Data& d) {
    ops::Conv2dGrads g = right_backward(G, d);
    g.dX = ops::conv2d_backward(G, d.X, image, flipped(d.W, image.channels, 3, 3), same).dX;
    return g;
  }));
  REQUIRE(bad.verdict() == Verdict::fail);
  CHECK(tensor(bad, "dX").failed > 0);
  CHECK(tensor(bad, "dW").verdict() == Verdict::pass);
  CHECK(tensor(bad, "db").verdict() == Verdict::pass);
}

TEST_CASE("max_pool2d: ties choose the first maximum in row-major window order",
          "[max_pool2d][kink]") {
  const ops::MaxPool2dForward f = ops::max_pool2d_forward(tied_image(), {1, 4, 4}, {2, 2, 2});
  CHECK(arma::approx_equal(f.Y, arma::mat(arma::vec{0.9, 0.2, 1.5, 0.7}), "absdiff", 0.0));
  // windows: rows {1, 4} tie at 0.9 -> 1; {3, 6} tie at 0.2 -> 3;
  // {9, 12, 13} tie at 1.5 -> 9; {11, 14} tie at 0.7 -> 11
  CHECK(f.argmax(0, 0) == 1);
  CHECK(f.argmax(1, 0) == 3);
  CHECK(f.argmax(2, 0) == 9);
  CHECK(f.argmax(3, 0) == 11);
}

TEST_CASE("max_pool2d: a tie is a KINK held to the bracket, not a false FAIL, and a gradient routed outside it FAILs",
          "[max_pool2d][checker][kink]") {
  auto right = [](const arma::mat& G, const arma::mat& X) {
    return ops::max_pool2d_backward(G, ops::max_pool2d_forward(X, {1, 4, 4}, {2, 2, 2}).argmax, {1, 4, 4});
  };
  // Every tied entry has one-sided slopes 0 and dY: the chosen one gets dY, the others 0,
  // both inside [0, dY] (or [dY, 0]).
  const check::CheckResult r = check::check_vjp(max_pool_with(right));
  const check::TensorResult& dX = tensor(r, "dX");
  CHECK(r.verdict() == Verdict::kink);
  CHECK(dX.kinks == 9);  // 2 + 2 + 3 + 2 tied entries
  CHECK(dX.failed == 0);

  // The bug: every window's gradient to its top-left entry, which is never its maximum here.
  const check::CheckResult bad = check::check_vjp(max_pool_with([](const arma::mat& G, const arma::mat&) {
    arma::mat dX(16, 1, arma::fill::zeros);
    for (arma::uword oi = 0; oi < 2; ++oi)
      for (arma::uword oj = 0; oj < 2; ++oj) dX(2 * oi * 4 + 2 * oj, 0) = G(oi * 2 + oj, 0);
    return dX;
  }));
  REQUIRE(bad.verdict() == Verdict::fail);
  CHECK(tensor(bad, "dX").failed == 4);  // the four top-left entries, whose bracket is [0, 0]

  // A limit of the element-by-element bracket: dY sent to every tied entry at once is a
  // subgradient for each entry alone, so it passes as kinks; PyTorch's golden values (one
  // entry chosen) are what tell it apart (checks/check_golden.cpp).
  const check::CheckResult both = check::check_vjp(max_pool_with([](const arma::mat& G, const arma::mat& X) {
    const ops::MaxPool2dForward f = ops::max_pool2d_forward(X, {1, 4, 4}, {2, 2, 2});
    arma::mat dX(16, 1, arma::fill::zeros);
    for (arma::uword r = 0; r < 16; ++r)
      for (arma::uword o = 0; o < 4; ++o)
        if (X(r, 0) == f.Y(o, 0) && r / 8 == o / 2 && (r % 4) / 2 == o % 2) dX(r, 0) += G(o, 0);
    return dX;
  }));
  CHECK(both.verdict() == Verdict::kink);
}

TEST_CASE("avg_pool2d: each output is its window's mean, dX spreads dY / (wh ww) and overlaps add",
          "[avg_pool2d]") {
  const arma::mat X = arma::regspace(0.0, 15.0);  // one 4x4 channel, X[i, j] = 4 i + j
  const ops::Pool2dOptions overlapping{3, 3, 1};  // 2x2 outputs, windows overlapping
  const arma::mat Y = ops::avg_pool2d_forward(X, {1, 4, 4}, overlapping);
  // the mean of a 3x3 block of 4 i + j is its centre's value
  CHECK(arma::approx_equal(Y, arma::mat(arma::vec{5.0, 6.0, 9.0, 10.0}), "absdiff", 1e-14));
  const arma::mat dX = ops::avg_pool2d_backward(arma::ones(4, 1), {1, 4, 4}, overlapping);
  // the centre four entries lie in all four windows, the corners in one
  CHECK(dX(5, 0) == Approx(4.0 / 9.0));
  CHECK(dX(0, 0) == Approx(1.0 / 9.0));
  CHECK(dX(1, 0) == Approx(2.0 / 9.0));
}
