// Every nn layer against the Layer contract (nn/layer.hpp): the gradient checker on the input
// and every parameter, backward assigning rather than accumulating, the NaN pre-fill catching
// a gradient that backward forgot, and shape errors that name the layer and the shapes.
#include <catch2/catch.hpp>

#include "gradlab/check/checker.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/nn/activations.hpp"
#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/dropout.hpp"
#include "gradlab/nn/differentiable.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/sequential.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/random.hpp"

#include <memory>
#include <sstream>
#include <stdexcept>

namespace {

using namespace gradlab;
using check::Verdict;
using Catch::Contains;

std::string table(const check::CheckResult& r) {
  std::ostringstream out;
  check::print_table(out, {r});
  return out.str();
}

// The layer check: check_vjp over "X" and every parameter, with the NaN pre-fill.
// Asserts that every element of every tensor was compared and returns the report.
check::CheckResult checked(nn::Layer& layer, const arma::mat& X) {
  const check::CheckResult r = check::check_vjp(nn::differentiable(layer, X));
  INFO(layer.name() << " on X " << X.n_rows << "x" << X.n_cols << "\n" << table(r));
  REQUIRE(r.tensors.size() == 1 + layer.parameters().size());
  REQUIRE(r.tensors[0].checked == X.n_elem);
  for (std::size_t t = 1; t < r.tensors.size(); ++t)
    REQUIRE(r.tensors[t].checked == layer.parameters()[t - 1].value->n_elem);
  REQUIRE(r.contract.holds());
  return r;
}

void require_pass(nn::Layer& layer, const arma::mat& X) {
  const check::CheckResult r = checked(layer, X);
  INFO(table(r));
  REQUIRE(r.verdict() == Verdict::pass);
}

// The shapes (features, batch) every activation is checked at: one sample, a few, a batch.
const std::vector<std::pair<arma::uword, arma::uword>> activation_shapes{{3, 1}, {5, 4}, {8, 16}};

}  // namespace

TEST_CASE("Linear: check_vjp of dX = W^T dY, dW = dY X^T, db = sum_b dY", "[nn][gradcheck]") {
  Rng rng(11);
  for (auto [in, out, B] : std::vector<std::tuple<arma::uword, arma::uword, arma::uword>>{
           {3, 2, 1}, {5, 4, 3}, {7, 9, 16}}) {
    nn::Linear layer(in, out);
    nn::glorot_uniform(layer.W, rng);
    layer.b = random_normal(out, 1, rng);  // nonzero, so b's gradient is not checked at 0 only
    require_pass(layer, random_normal(in, B, rng));
  }
}

TEST_CASE("ReLU: check_vjp of dX = dY ⊙ 1[X > 0]", "[nn][gradcheck]") {
  Rng rng(12);
  for (auto [D, B] : activation_shapes) {
    nn::ReLU layer;
    const check::CheckResult r = checked(layer, random_normal(D, B, rng));
    INFO(table(r));
    // Normal inputs lie within a step (1e-5) of the corner at 0 with probability ~1e-5 each:
    // a kink is reported, never a failure.
    REQUIRE(r.verdict() != Verdict::fail);
  }
}

TEST_CASE("LeakyReLU: check_vjp of dX = dY ⊙ (1 or slope), slopes 0.01 and 0.2",
          "[nn][gradcheck]") {
  Rng rng(13);
  for (double slope : {0.01, 0.2}) {
    for (auto [D, B] : activation_shapes) {
      nn::LeakyReLU layer(slope);
      const check::CheckResult r = checked(layer, random_normal(D, B, rng));
      INFO(table(r));
      REQUIRE(r.verdict() != Verdict::fail);
    }
  }
}

TEST_CASE("Tanh: check_vjp of dX = dY ⊙ (1 - Y²)", "[nn][gradcheck]") {
  Rng rng(14);
  for (auto [D, B] : activation_shapes) {
    nn::Tanh layer;
    require_pass(layer, 2.0 * random_normal(D, B, rng));
  }
}

TEST_CASE("Sigmoid: check_vjp of dX = dY ⊙ Y ⊙ (1 - Y)", "[nn][gradcheck]") {
  Rng rng(15);
  for (auto [D, B] : activation_shapes) {
    nn::Sigmoid layer;
    require_pass(layer, 3.0 * random_normal(D, B, rng));
  }
}

TEST_CASE("LogSoftmax: check_vjp of dX = dY - softmax ⊙ colsum(dY)", "[nn][gradcheck]") {
  Rng rng(16);
  for (auto [D, B] : activation_shapes) {
    nn::LogSoftmax layer;
    require_pass(layer, 3.0 * random_normal(D, B, rng));
  }
}

TEST_CASE("BatchNorm train mode: check_vjp of dX (through the batch mean and variance), "
          "dgamma, dbeta",
          "[nn][gradcheck][batchnorm]") {
  Rng rng(17);
  for (auto [D, B] : std::vector<std::pair<arma::uword, arma::uword>>{{3, 2}, {4, 5}, {6, 16}}) {
    nn::BatchNorm layer(D);
    layer.gamma = 1.0 + 0.5 * random_normal(D, 1, rng);
    layer.beta = random_normal(D, 1, rng);
    // An offset and a spread per feature, as a real pre-activation has.
    arma::mat X = 2.0 * random_normal(D, B, rng);
    X.each_col() += random_normal(D, 1, rng);
    require_pass(layer, X);
  }
}

TEST_CASE("BatchNorm eval mode: check_vjp of dX = dY ⊙ gamma / sqrt(running_var + eps), "
          "dgamma, dbeta",
          "[nn][gradcheck][batchnorm]") {
  Rng rng(18);
  for (auto [D, B] : std::vector<std::pair<arma::uword, arma::uword>>{{3, 1}, {4, 5}, {6, 16}}) {
    nn::BatchNorm layer(D);
    layer.gamma = 1.0 + 0.5 * random_normal(D, 1, rng);
    layer.beta = random_normal(D, 1, rng);
    layer.running_mean = random_normal(D, 1, rng);
    layer.running_var = random_uniform(D, 1, rng, 0.5, 2.0);
    layer.set_mode(nn::Mode::eval);
    require_pass(layer, random_normal(D, B, rng));
  }
}

TEST_CASE("Dropout train mode (mask frozen by the check): check_vjp of dX = dY ⊙ mask",
          "[nn][gradcheck][dropout]") {
  Rng rng(19);
  for (auto [D, B] : activation_shapes) {
    nn::Dropout layer(0.5, 7);
    require_pass(layer, random_normal(D, B, rng));
    REQUIRE_FALSE(layer.frozen_mask());  // the check unfroze it when it ended
  }
  // The check is not vacuous: at 8x16 and p = 0.5 some units were dropped and some kept.
  nn::Dropout layer(0.5, 7);
  layer.forward(random_normal(8, 16, rng));
  REQUIRE(arma::any(arma::vectorise(layer.mask() == 0.0)));
  REQUIRE(arma::any(arma::vectorise(layer.mask() == 2.0)));
}

TEST_CASE("Dropout eval mode: check_vjp of the identity, dX = dY", "[nn][gradcheck][dropout]") {
  Rng rng(20);
  nn::Dropout layer(0.5, 7);
  layer.set_mode(nn::Mode::eval);
  require_pass(layer, random_normal(6, 5, rng));
}

TEST_CASE("backward assigns: run twice after one forward, the gradients are the same, not "
          "doubled",
          "[nn]") {
  Rng rng(21);
  // Linear
  nn::Linear linear(4, 3);
  nn::glorot_uniform(linear.W, rng);
  linear.forward(random_normal(4, 5, rng));
  const arma::mat dY = random_normal(3, 5, rng);
  const arma::mat dX1 = linear.backward(dY);
  const arma::mat dW1 = linear.dW;
  const arma::vec db1 = linear.db;
  REQUIRE(arma::abs(dW1).max() > 0.0);
  const arma::mat dX2 = linear.backward(dY);
  REQUIRE(arma::approx_equal(linear.dW, dW1, "absdiff", 0.0));
  REQUIRE(arma::approx_equal(linear.db, db1, "absdiff", 0.0));
  REQUIRE(arma::approx_equal(dX2, dX1, "absdiff", 0.0));

  // BatchNorm, in both modes
  for (nn::Mode mode : {nn::Mode::train, nn::Mode::eval}) {
    nn::BatchNorm bn(3);
    bn.gamma = 1.0 + random_normal(3, 1, rng);
    bn.set_mode(mode);
    bn.forward(random_normal(3, 6, rng));
    const arma::mat dYb = random_normal(3, 6, rng);
    bn.backward(dYb);
    const arma::vec dgamma1 = bn.dgamma, dbeta1 = bn.dbeta;
    REQUIRE(arma::abs(dgamma1).max() > 0.0);
    bn.backward(dYb);
    REQUIRE(arma::approx_equal(bn.dgamma, dgamma1, "absdiff", 0.0));
    REQUIRE(arma::approx_equal(bn.dbeta, dbeta1, "absdiff", 0.0));
  }
}

namespace {

// Deliberately broken layers, to show that the layer check catches them.

// Y = W X + b, but backward forgets to assign db (it keeps whatever was in the buffer).
class ForgetsBiasGradient : public nn::Layer {
 public:
  ForgetsBiasGradient(arma::uword in, arma::uword out, Rng& rng)
      : W(random_normal(out, in, rng)), b(random_normal(out, 1, rng)),
        dW(out, in, arma::fill::zeros), db(out, arma::fill::zeros) {}
  arma::mat forward(const arma::mat& X) override {
    X_ = X;
    return ops::affine_forward(W, b, X);
  }
  arma::mat backward(const arma::mat& dY) override {
    ops::AffineGrads g = ops::affine_backward(dY, W, X_);
    dW = g.dW;  // db: forgotten
    return g.dX;
  }
  std::vector<gradlab::Parameter> parameters() override { return {{"W", &W, &dW}, {"b", &b, &db}}; }
  std::string name() const override { return "ForgetsBiasGradient"; }
  arma::mat W;
  arma::vec b;
  arma::mat dW;
  arma::vec db;

 private:
  arma::mat X_;
};

// Y = W X + b, but backward accumulates dW += dY X^T (the classic missing zero_grad).
class AccumulatesWeightGradient : public nn::Layer {
 public:
  AccumulatesWeightGradient(arma::uword in, arma::uword out, Rng& rng)
      : W(random_normal(out, in, rng)), b(random_normal(out, 1, rng)),
        dW(out, in, arma::fill::zeros), db(out, arma::fill::zeros) {}
  arma::mat forward(const arma::mat& X) override {
    X_ = X;
    return ops::affine_forward(W, b, X);
  }
  arma::mat backward(const arma::mat& dY) override {
    ops::AffineGrads g = ops::affine_backward(dY, W, X_);
    dW += g.dW;  // wrong: must be =
    db = g.db;
    return g.dX;
  }
  std::vector<gradlab::Parameter> parameters() override { return {{"W", &W, &dW}, {"b", &b, &db}}; }
  std::string name() const override { return "AccumulatesWeightGradient"; }
  arma::mat W;
  arma::vec b;
  arma::mat dW;
  arma::vec db;

 private:
  arma::mat X_;
};

}  // namespace

TEST_CASE("NaN pre-fill: a layer whose backward forgets db fails the layer check",
          "[nn][gradcheck]") {
  Rng rng(22);
  ForgetsBiasGradient layer(4, 3, rng);
  const arma::mat X = random_normal(4, 5, rng);
  // Make the forgotten buffer hold the right answer for the checker's first G (drawn from
  // Rng(seed = 1)), as a gradient left over from an earlier identical backward would:
  // without the pre-fill, db would look assigned (finite) and match on that first comparison.
  Rng g_rng(1);
  layer.db = arma::sum(random_normal(3, 5, g_rng), 1);
  const check::CheckResult r = check::check_vjp(nn::differentiable(layer, X));
  INFO(table(r));
  REQUIRE(r.verdict() == Verdict::fail);
  REQUIRE_FALSE(r.contract.assigned);  // caught as unassigned: the NaN survived backward
  REQUIRE_THAT(r.contract.problem, Contains("db"));
  REQUIRE(r.tensors.at(2).failed == 3);  // every entry of db
  REQUIRE(r.tensors.at(0).verdict() == Verdict::pass);  // dX and dW are right
  REQUIRE(r.tensors.at(1).verdict() == Verdict::pass);
}

TEST_CASE("NaN pre-fill: a layer whose backward accumulates dW += fails the layer check",
          "[nn][gradcheck]") {
  Rng rng(23);
  AccumulatesWeightGradient layer(4, 3, rng);
  const arma::mat X = random_normal(4, 5, rng);
  const check::CheckResult r = check::check_vjp(nn::differentiable(layer, X));
  INFO(table(r));
  REQUIRE(r.verdict() == Verdict::fail);
  REQUIRE_FALSE(r.contract.assigned);  // NaN + anything = NaN
  REQUIRE_THAT(r.contract.problem, Contains("dW"));
  REQUIRE(r.tensors.at(1).failed == 12);
}

TEST_CASE("shape errors: std::invalid_argument naming the layer and the shapes", "[nn]") {
  nn::Linear linear(4, 3);
  REQUIRE_THROWS_AS(linear.forward(arma::mat(5, 2, arma::fill::zeros)), std::invalid_argument);
  REQUIRE_THROWS_WITH(linear.forward(arma::mat(5, 2, arma::fill::zeros)),
                      Contains("Linear(4, 3).forward") && Contains("5x2") && Contains("4 rows"));
  REQUIRE_THROWS_WITH(linear.backward(arma::mat(3, 2, arma::fill::zeros)),
                      Contains("Linear(4, 3).backward") && Contains("before forward"));
  linear.forward(arma::mat(4, 2, arma::fill::zeros));
  REQUIRE_THROWS_WITH(linear.backward(arma::mat(3, 5, arma::fill::zeros)),
                      Contains("Linear(4, 3).backward") && Contains("3x5") && Contains("3x2"));
  REQUIRE_THROWS_WITH(linear.forward(arma::mat(4, 0)), Contains("Linear(4, 3).forward") &&
                                                           Contains("4x0") && Contains("empty"));

  nn::ReLU relu;
  REQUIRE_THROWS_WITH(relu.backward(arma::mat(2, 2, arma::fill::zeros)),
                      Contains("ReLU.backward") && Contains("before forward"));
  relu.forward(arma::mat(2, 3, arma::fill::ones));
  REQUIRE_THROWS_WITH(relu.backward(arma::mat(3, 2, arma::fill::zeros)),
                      Contains("ReLU.backward") && Contains("3x2") && Contains("2x3"));

  nn::Tanh tanh_layer;
  tanh_layer.forward(arma::mat(2, 3, arma::fill::ones));
  REQUIRE_THROWS_WITH(tanh_layer.backward(arma::mat(2, 4, arma::fill::zeros)),
                      Contains("Tanh.backward") && Contains("2x4") && Contains("2x3"));

  nn::BatchNorm bn(3);
  REQUIRE_THROWS_WITH(bn.forward(arma::mat(4, 5, arma::fill::ones)),
                      Contains("BatchNorm(3).forward") && Contains("4x5") && Contains("3 rows"));
  REQUIRE_THROWS_WITH(bn.forward(arma::mat(3, 1, arma::fill::ones)),
                      Contains("BatchNorm(3).forward") && Contains("3x1") &&
                          Contains("at least 2 samples"));

  nn::Dropout dropout(0.5, 1);
  dropout.forward(arma::mat(2, 3, arma::fill::ones));
  REQUIRE_THROWS_WITH(dropout.backward(arma::mat(3, 3, arma::fill::ones)),
                      Contains("Dropout(0.5).backward") && Contains("3x3") && Contains("2x3"));

  // In a chain, the layer whose input is wrong is the one named.
  nn::Sequential net;
  net.add(std::make_unique<nn::Linear>(4, 3));
  net.add(std::make_unique<nn::Linear>(5, 2));
  REQUIRE_THROWS_WITH(net.forward(arma::mat(4, 2, arma::fill::zeros)),
                      Contains("Linear(5, 2).forward") && Contains("3x2"));

  nn::CrossEntropyLoss loss;
  REQUIRE_THROWS_WITH(loss.forward(arma::mat(10, 4, arma::fill::zeros), arma::uvec{1, 2, 3}),
                      Contains("CrossEntropyLoss.forward") && Contains("10x4"));
  REQUIRE_THROWS_WITH(loss.forward(arma::mat(3, 2, arma::fill::zeros), arma::uvec{1, 3}),
                      Contains("CrossEntropyLoss.forward") && Contains("label 3"));
  REQUIRE_THROWS_WITH(loss.backward(), Contains("CrossEntropyLoss.backward"));

  // Bad construction arguments.
  REQUIRE_THROWS_AS(nn::Linear(0, 3), std::invalid_argument);
  REQUIRE_THROWS_AS(nn::BatchNorm(0), std::invalid_argument);
  REQUIRE_THROWS_AS(nn::BatchNorm(3, 1.5), std::invalid_argument);
  REQUIRE_THROWS_AS(nn::Dropout(1.0, 1), std::invalid_argument);
  REQUIRE_THROWS_AS(nn::Dropout(-0.1, 1), std::invalid_argument);
}
