// The image layers (Conv2d, MaxPool2d, AvgPool2d, Flatten) against the Layer contract, the CNN
// builder, and whole convolutional networks: a small one checked element by element
// (nn::check_network, the same verdicts as check_vjp), a VGG-like one by random directions, and
// a convolution whose dW forgets the sum over the batch, failed and found by bisection.
#include <catch2/catch.hpp>

#include "gradlab/check/checker.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/nn/cnn.hpp"
#include "gradlab/nn/conv2d.hpp"
#include "gradlab/nn/differentiable.hpp"
#include "gradlab/nn/flatten.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/network_check.hpp"
#include "gradlab/nn/pool2d.hpp"
#include "gradlab/ops/conv2d.hpp"
#include "gradlab/random.hpp"

#include <memory>
#include <sstream>

#include "support.hpp"

using namespace gradlab::checks;

namespace {

using namespace gradlab;
using check::Verdict;
using Catch::Contains;

// check_vjp over "X" and every parameter (NaN pre-fill, the contract), every element compared.
check::CheckResult layer_check(nn::Layer& layer, const arma::mat& X) {
  const check::CheckResult r = check::check_vjp(nn::differentiable(layer, X));
  INFO(layer.name() << " on X " << X.n_rows << "x" << X.n_cols << "\n" << table_of(r));
  REQUIRE(r.tensors.size() == 1 + layer.parameters().size());
  REQUIRE(r.tensors[0].checked == X.n_elem);
  REQUIRE(r.contract.holds());
  return r;
}

void randomise(nn::Conv2d& conv, Rng& rng) {
  conv.W = random_normal(conv.W.n_rows, conv.W.n_cols, rng);
  conv.b = random_normal(conv.b.n_elem, 1, rng);
}

// A convolution with the classic mistake of a hand-written dW: the gradient of the first image
// only, where every image of the batch used the same kernels (dW must sum over the batch).
class FirstImageConv2d : public nn::Conv2d {
 public:
  using nn::Conv2d::Conv2d;
  arma::mat forward(const arma::mat& X) override {
    X_ = X;
    return nn::Conv2d::forward(X);
  }
  arma::mat forward(arma::mat&& X) override { return forward(static_cast<const arma::mat&>(X)); }
  arma::mat backward(const arma::mat& dY) override {
    arma::mat dX = nn::Conv2d::backward(dY);
    dW = ops::conv2d_backward(dY.col(0), X_.col(0), in_shape(), W, options()).dW;
    return dX;
  }
  std::string name() const override { return "FirstImageConv2d"; }

 private:
  arma::mat X_;
};

}  // namespace

TEST_CASE("Conv2d: check_vjp of dX (transposed convolution), dW (correlation of X with dY, "
          "summed over positions and the batch), db",
          "[nn][gradcheck][conv2d]") {
  Rng rng(301);
  // 3x3, stride 1, padding 1 (the size kept) and 2x3, stride 2, padding 1 on a non-square image
  const std::vector<std::pair<ops::ImageShape, ops::Conv2dOptions>> cases{
      {{2, 5, 5}, {3, 3, 1, 1}}, {{3, 6, 7}, {2, 3, 2, 1}}, {{1, 4, 4}, {3, 3, 1, 0}}};
  for (const auto& [shape, options] : cases) {
    nn::Conv2d conv(shape, 3, options);
    randomise(conv, rng);
    const arma::mat X = random_normal(shape.size(), 3, rng);
    REQUIRE(layer_check(conv, X).verdict() == Verdict::pass);
  }
}

TEST_CASE("MaxPool2d: check_vjp of dX = dY routed to each window's maximum", "[nn][gradcheck][pool2d]") {
  Rng rng(302);
  nn::MaxPool2d pool({2, 6, 6});
  // entries spread far apart: a step of the check never changes which entry is a maximum
  const arma::mat X = 10.0 * random_normal(72, 3, rng);
  REQUIRE(layer_check(pool, X).verdict() == Verdict::pass);
  nn::MaxPool2d overlapping({1, 5, 5}, {3, 3, 1});  // windows overlap: gradients add
  REQUIRE(layer_check(overlapping, 10.0 * random_normal(25, 2, rng)).verdict() == Verdict::pass);
}

TEST_CASE("MaxPool2d at a tie: a KINK, the gradient to the first maximum, never a false FAIL",
          "[nn][gradcheck][pool2d][kink]") {
  nn::MaxPool2d pool({1, 2, 2});
  const arma::mat X = arma::vec{1.0, 1.0, 0.5, -2.0};  // one window, its first two entries tied
  const check::CheckResult r = check::check_vjp(nn::differentiable(pool, X));
  INFO(table_of(r));
  REQUIRE(r.verdict() == Verdict::kink);
  REQUIRE(r.tensors[0].kinks >= 1);
  // the subgradient chosen: the upstream gradient goes to the first of the tied entries alone
  pool.forward(X);
  const arma::mat dX = pool.backward(arma::mat(1, 1, arma::fill::value(3.0)));
  CHECK(dX(0, 0) == 3.0);
  CHECK(dX(1, 0) == 0.0);
}

TEST_CASE("AvgPool2d: check_vjp of dX = each dY shared by its window, and Flatten: dX = dY",
          "[nn][gradcheck][pool2d]") {
  Rng rng(303);
  nn::AvgPool2d pool({2, 6, 4});
  REQUIRE(layer_check(pool, random_normal(48, 3, rng)).verdict() == Verdict::pass);
  nn::Flatten flatten({2, 3, 3});
  REQUIRE(layer_check(flatten, random_normal(18, 2, rng)).verdict() == Verdict::pass);
  CHECK(flatten.name() == "Flatten(2x3x3 -> 18)");
}

TEST_CASE("make_cnn: the stack as written, shapes carried through, bad stacks named",
          "[nn][cnn]") {
  Rng rng(304);
  nn::Sequential net = nn::make_cnn({1, 28, 28}, "c8-p-c16-p-100", 10, "he_normal", rng);
  const std::string layers = net.describe();
  INFO(layers);
  REQUIRE(net.size() == 10);
  CHECK(net.layer(0).name() == "Conv2d(1x28x28 -> 8x28x28, 3x3, stride 1, padding 1)");
  CHECK(net.layer(1).name() == "ReLU");
  CHECK(net.layer(2).name() == "MaxPool2d(8x28x28 -> 8x14x14, 2x2, stride 2)");
  CHECK(net.layer(5).name() == "MaxPool2d(16x14x14 -> 16x7x7, 2x2, stride 2)");
  CHECK(net.layer(6).name() == "Flatten(16x7x7 -> 784)");
  CHECK(net.layer(7).name() == "Linear(784, 100)");
  CHECK(net.layer(9).name() == "Linear(100, 10)");
  CHECK(net.forward(random_normal(784, 3, rng)).n_rows == 10);
  // the same seed, the same weights; every weight drawn (none left at zero)
  Rng again(304);
  nn::Sequential twin = nn::make_cnn({1, 28, 28}, "c8-p-c16-p-100", 10, "he_normal", again);
  for (std::size_t i = 0; i < net.parameters().size(); i += 2) {
    CHECK(arma::approx_equal(*net.parameters()[i].value, *twin.parameters()[i].value, "absdiff", 0.0));
    CHECK(arma::all(arma::vectorise(*net.parameters()[i].value) != 0.0));
  }
  // a stack that ends on an image layer gets its Flatten before the classes
  CHECK(nn::make_cnn({3, 8, 8}, "c4-a", 2, "glorot_uniform", rng).layer(3).name() == "Flatten(4x4x4 -> 64)");

  CHECK_THAT(error_of([&] { nn::make_cnn({1, 8, 8}, "c4-x", 10, "he_normal", rng); }),
             Contains("token \"x\": unknown"));
  CHECK_THAT(error_of([&] { nn::make_cnn({1, 8, 8}, "c4-100-c4", 10, "he_normal", rng); }),
             Contains("token \"c4\": a convolution after a dense layer"));
  CHECK_THAT(error_of([&] { nn::make_cnn({1, 4, 4}, "p-p-p", 10, "he_normal", rng); }),
             Contains("token \"p\" on images of 1x1x1"));
  CHECK_THAT(error_of([&] { nn::make_cnn({1, 4, 4}, "c4", 10, "uniform", rng); }),
             Contains("unknown init 'uniform'"));
}

TEST_CASE("image layers: shape errors name the layer and the shapes", "[nn][cnn]") {
  Rng rng(305);
  nn::Conv2d conv({2, 5, 5}, 3);
  CHECK_THAT(error_of([&] { conv.forward(random_normal(49, 2, rng)); }),
             Contains("Conv2d(2x5x5 -> 3x5x5, 3x3, stride 1, padding 1).forward: X is 49x2"));
  CHECK_THAT(error_of([&] { conv.backward(random_normal(75, 2, rng)); }), Contains("called before forward"));
  conv.forward(random_normal(50, 2, rng));
  CHECK_THAT(error_of([&] { conv.backward(random_normal(75, 3, rng)); }), Contains("dY is 75x3"));
  CHECK_THAT(error_of([&] { nn::Conv2d({1, 2, 2}, 4, {3, 3, 1, 0}); }), Contains("Conv2d"));
  nn::MaxPool2d pool({1, 4, 4});
  CHECK_THAT(error_of([&] { pool.forward(random_normal(15, 1, rng)); }), Contains("MaxPool2d(1x4x4 -> 1x2x2"));
  CHECK_THAT(error_of([&] { nn::AvgPool2d({1, 1, 3}); }), Contains("AvgPool2d"));
}

TEST_CASE("a small CNN checked element by element: check_network = check_vjp, every number PASS",
          "[nn][cnn][network]") {
  Rng rng(306);
  nn::Sequential net = nn::make_cnn({2, 6, 6}, "c3-p-c4-a-5", 3, "he_normal", rng);
  for (gradlab::Parameter& p : net.parameters()) *p.value = random_normal(p.value->n_rows, p.value->n_cols, rng);
  const arma::mat X = random_normal(72, 4, rng);
  const arma::uvec labels = random_labels(3, 4, rng);
  nn::CrossEntropyLoss loss;
  const check::CheckResult fast = nn::check_network(net, loss, X, labels);
  const check::CheckResult generic = check::check_vjp(nn::differentiable(net, loss, X, labels));
  INFO(table_of(fast) << table_of(generic));
  std::size_t numbers = 0;
  for (const auto& t : fast.tensors) numbers += t.checked;
  CHECK(numbers == X.n_elem + net.parameter_count());
  REQUIRE(generic.verdict() != Verdict::fail);
  REQUIRE(fast.verdict() == generic.verdict());
  for (std::size_t t = 0; t < fast.tensors.size(); ++t)
    CHECK(fast.tensors[t].verdict() == generic.tensors[t].verdict());
}

TEST_CASE("a VGG-like CNN by the directional check: 3x16x16, two blocks of two 3x3 "
          "convolutions, batch 4",
          "[nn][cnn][network][directional]") {
  Rng rng(307);
  nn::Sequential net = nn::make_cnn({3, 16, 16}, "c8-c8-p-c16-c16-p-32", 10, "he_normal", rng);
  const arma::mat X = random_normal(3 * 16 * 16, 4, rng);
  const arma::uvec labels = random_labels(10, 4, rng);
  nn::CrossEntropyLoss loss;
  const check::CheckResult r = nn::check_network_directional(net, loss, X, labels, 8);
  INFO(table_of(r));
  REQUIRE(r.contract.holds());
  REQUIRE(r.verdict() == Verdict::pass);
}

TEST_CASE("a convolution whose dW forgets the batch sum FAILS the network check and is found "
          "by bisection",
          "[nn][cnn][network][bisection]") {
  Rng rng(308);
  nn::Sequential net = nn::make_cnn({1, 6, 6}, "c2-p-c3-p", 2, "he_normal", rng);
  auto wrong = std::make_unique<FirstImageConv2d>(ops::ImageShape{2, 3, 3}, 3);
  wrong->W = random_normal(3, 18, rng);
  net.replace(3, std::move(wrong));
  const arma::mat X = random_normal(36, 5, rng);
  const arma::uvec labels = random_labels(2, 5, rng);
  nn::CrossEntropyLoss loss;
  const check::CheckResult r = nn::check_network(net, loss, X, labels);
  INFO(table_of(r));
  REQUIRE(r.verdict() == Verdict::fail);
  const nn::Bisection b = nn::bisect_network(net, loss, X, labels);
  INFO(b.summary());
  REQUIRE(b.found);
  CHECK(b.layer == 3);
  CHECK(b.name == "FirstImageConv2d");
  CHECK(b.tensor == "dW");
  // at batch 1 the mistake cannot show: the check needs a batch
  REQUIRE(nn::check_network(net, loss, X.col(0), labels.subvec(0, 0)).verdict() != Verdict::fail);
}

TEST_CASE("batch invariance: Conv2d, MaxPool2d and AvgPool2d treat each image alone",
          "[nn][cnn][invariance]") {
  Rng rng(309);
  nn::Conv2d conv({2, 5, 5}, 3);
  randomise(conv, rng);
  nn::MaxPool2d max({3, 5, 5}, {2, 2, 1});
  nn::AvgPool2d avg({3, 5, 5}, {3, 3, 2});
  const arma::mat X = random_normal(50, 4, rng);
  const nn::Invariance c = nn::check_batch_invariance(conv, X, random_normal(75, 4, rng));
  INFO(c.problem);
  CHECK(c.holds);
  const arma::mat Y = 10.0 * random_normal(75, 4, rng);
  CHECK(nn::check_batch_invariance(max, Y, random_normal(48, 4, rng)).holds);
  CHECK(nn::check_batch_invariance(avg, Y, random_normal(12, 4, rng)).holds);
}
