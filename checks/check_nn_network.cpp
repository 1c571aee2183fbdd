// Whole networks against finite differences: every parameter of small Sequential + loss nets,
// the fast directional mode on an MNIST-sized net, the losses, and Sequential's bookkeeping
// (parameter names, describe, zero_grad, make_mlp's layout).
#include <catch2/catch.hpp>

#include "gradlab/check/checker.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/nn/activations.hpp"
#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/dropout.hpp"
#include "gradlab/nn/differentiable.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/nn/sequential.hpp"
#include "gradlab/random.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sstream>
#include "support.hpp"

using namespace gradlab::checks;

namespace {

using namespace gradlab;
using check::Verdict;
using Catch::Contains;

std::string table(const check::CheckResult& r) {
  std::ostringstream out;
  check::print_table(out, {r});
  return out.str();
}

double max_rel_error(const check::CheckResult& r) {
  double worst = 0.0;
  for (const auto& t : r.tensors) worst = std::max(worst, t.max_rel_error);
  return worst;
}

// The exhaustive check of a network: every element of X and of every parameter, perturbed one
// at a time. Requires that all of them were checked and none failed; returns the report.
check::CheckResult check_network(nn::Sequential& net, nn::Loss& loss, const arma::mat& X,
                                 const arma::uvec& labels) {
  const check::CheckResult r = check::check_vjp(nn::differentiable(net, loss, X, labels));
  std::string chain;
  for (std::size_t i = 0; i < net.size(); ++i) chain += (i ? " -> " : "") + net.layer(i).name();
  arma::uword kinks = 0;
  for (const auto& t : r.tensors) kinks += t.kinks;
  const char* mode = net.mode() == nn::Mode::train ? "train" : "eval";
  INFO(chain << " -> " << loss.name() << ", batch " << X.n_cols << ", " << mode
             << ": max relative error " << max_rel_error(r) << ", kinks " << kinks << "\n"
             << table(r));
  const std::vector<gradlab::Parameter> params = net.parameters();
  REQUIRE(r.tensors.size() == 1 + params.size());
  REQUIRE(r.tensors[0].checked == X.n_elem);
  for (std::size_t t = 0; t < params.size(); ++t) {
    REQUIRE(r.tensors[t + 1].name == "d" + params[t].name);
    REQUIRE(r.tensors[t + 1].checked == params[t].value->n_elem);
  }
  REQUIRE(r.contract.holds());
  REQUIRE(r.verdict() != Verdict::fail);
  return r;
}

// A small net from make_mlp, with nonzero biases (zero biases would leave db unexercised at
// its initial value) and BatchNorm's gamma and beta moved away from 1 and 0.
nn::Sequential small_net(const std::string& activation, bool batchnorm, double dropout,
                         Rng& rng) {
  nn::Sequential net = nn::make_mlp({5, 6, 4, 3}, activation, batchnorm, dropout,
                                    "glorot_uniform", rng);
  for (gradlab::Parameter& p : net.parameters()) {
    const bool is_gamma = p.name.ends_with("gamma");
    if (p.name.ends_with(".b") || p.name.ends_with("beta") || is_gamma)
      *p.value = (is_gamma ? 1.0 : 0.0) + 0.3 * random_normal(p.value->n_rows, 1, rng);
  }
  return net;
}

// What one forward and one backward leave: the network's outputs and every parameter's gradient
// (in the order of net.parameters()), from buffers pre-filled with NaN so that an entry backward
// forgot cannot pass. `forward` runs the forward pass and returns the outputs; parameters_only:
// Sequential::backward_parameters instead of backward.
struct Pass {
  arma::mat outputs;
  std::vector<arma::mat> gradients;
};

Pass one_pass(nn::Sequential& net, nn::Loss& loss, const arma::uvec& labels,
              const std::function<arma::mat()>& forward, bool parameters_only = false) {
  for (gradlab::Parameter& p : net.parameters()) p.grad->fill(arma::datum::nan);
  Pass r{forward(), {}};
  loss.forward(r.outputs, labels);
  if (parameters_only)
    net.backward_parameters(loss.backward());
  else
    net.backward(loss.backward());
  for (gradlab::Parameter& p : net.parameters()) r.gradients.push_back(*p.grad);
  return r;
}

}  // namespace

TEST_CASE("network check: every parameter of tanh MLPs, with MSE and with cross-entropy",
          "[nn][gradcheck][network]") {
  Rng rng(31);
  const arma::mat X = random_normal(5, 7, rng);
  const arma::uvec labels = random_labels(3, 7, rng);
  nn::MSELoss mse;
  nn::CrossEntropyLoss cross_entropy;
  for (nn::Loss* loss : std::vector<nn::Loss*>{&mse, &cross_entropy}) {
    nn::Sequential net = small_net("tanh", false, 0.0, rng);
    const check::CheckResult r = check_network(net, *loss, X, labels);
    REQUIRE(r.verdict() == Verdict::pass);  // smooth: no kinks possible
  }
}

TEST_CASE("network check: every parameter of ReLU and LeakyReLU MLPs, with MSE and with "
          "cross-entropy",
          "[nn][gradcheck][network]") {
  Rng rng(32);
  const arma::mat X = random_normal(5, 7, rng);
  const arma::uvec labels = random_labels(3, 7, rng);
  nn::MSELoss mse;
  nn::CrossEntropyLoss cross_entropy;
  for (const std::string activation : {"relu", "leaky_relu"})
    for (nn::Loss* loss : std::vector<nn::Loss*>{&mse, &cross_entropy}) {
      nn::Sequential net = small_net(activation, false, 0.0, rng);
      check_network(net, *loss, X, labels);  // kinks allowed (and reported), failures not
    }
}

TEST_CASE("network check: every parameter of a sigmoid MLP with cross-entropy",
          "[nn][gradcheck][network]") {
  Rng rng(33);
  const arma::mat X = random_normal(5, 7, rng);
  const arma::uvec labels = random_labels(3, 7, rng);
  nn::CrossEntropyLoss loss;
  nn::Sequential net = small_net("sigmoid", false, 0.0, rng);
  REQUIRE(check_network(net, loss, X, labels).verdict() == Verdict::pass);
}

TEST_CASE("network check: BatchNorm MLPs in train mode (tanh, ReLU) with MSE and with "
          "cross-entropy, and in eval mode",
          "[nn][gradcheck][network][batchnorm]") {
  Rng rng(34);
  arma::mat X = 2.0 * random_normal(5, 7, rng);
  X.each_col() += random_normal(5, 1, rng);
  const arma::uvec labels = random_labels(3, 7, rng);
  nn::MSELoss mse;
  nn::CrossEntropyLoss cross_entropy;
  for (const std::string activation : {"tanh", "relu"})
    for (nn::Loss* loss : std::vector<nn::Loss*>{&mse, &cross_entropy}) {
      nn::Sequential net = small_net(activation, true, 0.0, rng);
      const check::CheckResult r = check_network(net, *loss, X, labels);
      if (activation == "tanh") REQUIRE(r.verdict() == Verdict::pass);
    }

  // Eval mode, after a few train-mode batches gave the running statistics real values.
  nn::Sequential net = small_net("tanh", true, 0.0, rng);
  for (int i = 0; i < 3; ++i) net.forward(random_normal(5, 7, rng));
  net.set_mode(nn::Mode::eval);
  const auto& bn = dynamic_cast<const nn::BatchNorm&>(net.layer(1));
  const arma::vec mean_before = bn.running_mean, var_before = bn.running_var;
  REQUIRE(check_network(net, cross_entropy, X, labels).verdict() == Verdict::pass);
  REQUIRE(arma::approx_equal(bn.running_mean, mean_before, "absdiff", 0.0));
  REQUIRE(arma::approx_equal(bn.running_var, var_before, "absdiff", 0.0));
}

TEST_CASE("network check: the check leaves BatchNorm's running statistics as it found them",
          "[nn][gradcheck][network][batchnorm]") {
  Rng rng(35);
  nn::Sequential net = small_net("tanh", true, 0.0, rng);
  const auto& bn = dynamic_cast<const nn::BatchNorm&>(net.layer(1));
  const arma::vec mean_before = bn.running_mean, var_before = bn.running_var;
  nn::CrossEntropyLoss loss;
  {
    const check::Differentiable fn =
        nn::differentiable(net, loss, random_normal(5, 7, rng), random_labels(3, 7, rng));
    fn.forward();
    REQUIRE_FALSE(arma::approx_equal(bn.running_mean, mean_before, "absdiff", 0.0));
  }
  REQUIRE(arma::approx_equal(bn.running_mean, mean_before, "absdiff", 0.0));
  REQUIRE(arma::approx_equal(bn.running_var, var_before, "absdiff", 0.0));
}

TEST_CASE("network check: a tanh MLP with BatchNorm and Dropout (masks frozen by the check)",
          "[nn][gradcheck][network][dropout]") {
  Rng rng(36);
  const arma::mat X = random_normal(5, 7, rng);
  const arma::uvec labels = random_labels(3, 7, rng);
  nn::CrossEntropyLoss loss;
  nn::Sequential net = small_net("tanh", true, 0.3, rng);
  REQUIRE(net.size() == 9);  // Linear BN Tanh Dropout, twice, then Linear
  REQUIRE(check_network(net, loss, X, labels).verdict() == Verdict::pass);
  for (std::size_t i : {3u, 7u})
    REQUIRE_FALSE(dynamic_cast<const nn::Dropout&>(net.layer(i)).frozen_mask());
}

TEST_CASE("network check: LogSoftmax + NLLLoss", "[nn][gradcheck][network]") {
  Rng rng(37);
  nn::Sequential net = small_net("tanh", false, 0.0, rng);
  net.add(std::make_unique<nn::LogSoftmax>());
  nn::NLLLoss loss;
  REQUIRE(check_network(net, loss, random_normal(5, 7, rng), random_labels(3, 7, rng))
              .verdict() == Verdict::pass);
}

TEST_CASE("directional check: 784-100-100-10 ReLU MLP, batch 8, 8 random directions, fast",
          "[nn][gradcheck][network][directional]") {
  Rng rng(38);
  nn::Sequential net = nn::make_mlp({784, 100, 100, 10}, "relu", false, 0.0, "he_normal", rng);
  REQUIRE(net.parameter_count() == 784 * 100 + 100 + 100 * 100 + 100 + 100 * 10 + 10);
  const arma::mat X = random_uniform(784, 8, rng);  // pixel-like values in [0, 1)
  const arma::uvec labels = random_labels(10, 8, rng);
  nn::CrossEntropyLoss loss;

  // Its speed is measured in benchmarks/, not here.
  const check::CheckResult r =
      check::check_directional(nn::differentiable(net, loss, X, labels), 8);
  INFO(table(r));
  REQUIRE(r.tensors.size() == 1);
  REQUIRE(r.tensors[0].checked == 8);
  REQUIRE(r.contract.holds());
  REQUIRE(r.verdict() != Verdict::fail);

  // With BatchNorm and Dropout as well.
  nn::Sequential bn_net =
      nn::make_mlp({784, 100, 100, 10}, "relu", true, 0.2, "he_normal", rng);
  const check::CheckResult r2 =
      check::check_directional(nn::differentiable(bn_net, loss, X, labels), 8);
  INFO(table(r2));
  REQUIRE(r2.contract.holds());
  REQUIRE(r2.verdict() != Verdict::fail);
}

TEST_CASE("directional check: fails a network whose gradient is wrong in one layer",
          "[nn][gradcheck][network][directional]") {
  // A layer whose backward is LeakyReLU(0.3)'s while its forward is LeakyReLU(0.1)'s: the
  // gradient is wrong everywhere below it, and a random direction sees that.
  // (The backward LeakyReLU needs its own forward, to cache X.)
  class WrongSlope : public nn::Layer {
   public:
    arma::mat forward(const arma::mat& X) override {
      backward_.forward(X);
      return forward_.forward(X);
    }
    arma::mat backward(const arma::mat& dY) override { return backward_.backward(dY); }
    std::string name() const override { return "WrongSlope"; }

   private:
    nn::LeakyReLU forward_{0.1};
    nn::LeakyReLU backward_{0.3};
  };
  Rng rng(39);
  nn::Sequential net;
  net.add(std::make_unique<nn::Linear>(20, 10));
  net.add(std::make_unique<WrongSlope>());
  net.add(std::make_unique<nn::Linear>(10, 3));
  nn::initialise(net, "glorot_uniform", rng);
  nn::CrossEntropyLoss loss;
  const check::CheckResult r = check::check_directional(
      nn::differentiable(net, loss, random_normal(20, 6, rng), random_labels(3, 6, rng)), 8);
  INFO(table(r));
  REQUIRE(r.verdict() == Verdict::fail);
}

TEST_CASE("losses: check_vjp of CrossEntropyLoss, NLLLoss and MSELoss with respect to their "
          "input",
          "[nn][gradcheck][loss]") {
  Rng rng(40);
  const arma::mat outputs = 2.0 * random_normal(4, 6, rng);
  const arma::uvec labels = random_labels(4, 6, rng);
  nn::CrossEntropyLoss cross_entropy;
  nn::MSELoss mse;
  REQUIRE(check::check_vjp(nn::differentiable(cross_entropy, outputs, labels)).verdict() ==
          Verdict::pass);
  REQUIRE(check::check_vjp(nn::differentiable(mse, outputs, labels)).verdict() == Verdict::pass);
  // NLLLoss is linear in its input: its check passes with any input, log-probabilities or not.
  nn::NLLLoss nll;
  REQUIRE(check::check_vjp(nn::differentiable(nll, outputs, labels)).verdict() == Verdict::pass);
}

TEST_CASE("losses: NLLLoss(LogSoftmax(logits)) = CrossEntropyLoss(logits), value and gradient",
          "[nn][loss]") {
  Rng rng(41);
  const arma::mat logits = 3.0 * random_normal(5, 8, rng);
  const arma::uvec labels = random_labels(5, 8, rng);
  nn::CrossEntropyLoss cross_entropy;
  nn::LogSoftmax log_softmax;
  nn::NLLLoss nll;
  const double L_ce = cross_entropy.forward(logits, labels);
  const double L_nll = nll.forward(log_softmax.forward(logits), labels);
  REQUIRE(L_nll == Approx(L_ce).epsilon(1e-13));
  const arma::mat d_ce = cross_entropy.backward();
  const arma::mat d_nll = log_softmax.backward(nll.backward());
  REQUIRE(arma::abs(d_nll - d_ce).max() < 1e-15);
}

TEST_CASE("losses: MSELoss compares with one-hot targets built from the labels",
          "[nn][loss]") {
  // Y: 3 x 2, labels {2, 0}: targets columns (0,0,1) and (1,0,0).
  const arma::mat Y{{0.5, 0.9}, {0.1, 0.2}, {0.7, 0.0}};
  const arma::uvec labels{2, 0};
  nn::MSELoss mse;
  // L = (1/2) [ (0.25 + 0.01 + 0.09) + (0.01 + 0.04 + 0) ] = (0.35 + 0.05) / 2 = 0.2
  REQUIRE(mse.forward(Y, labels) == Approx(0.2).epsilon(1e-14));
  // dY = 2 (Y - targets) / 2 = Y - targets
  const arma::mat expected = Y - one_hot(labels, 3);
  REQUIRE(arma::abs(mse.backward() - expected).max() < 1e-15);
}

TEST_CASE("Sequential: parameters are named <layer index>.<name>", "[nn]") {
  Rng rng(42);
  nn::Sequential net = nn::make_mlp({4, 5, 6, 3}, "relu", true, 0.5, "he_normal", rng);
  std::vector<std::string> names;
  for (const gradlab::Parameter& p : net.parameters()) names.push_back(p.name);
  // 0 Linear, 1 BatchNorm, 2 ReLU, 3 Dropout, 4 Linear, 5 BatchNorm, 6 ReLU, 7 Dropout, 8 Linear
  REQUIRE(names == std::vector<std::string>{"0.W", "0.b", "1.gamma", "1.beta", "4.W", "4.b",
                                            "5.gamma", "5.beta", "8.W", "8.b"});
  const std::vector<gradlab::Parameter> params = net.parameters();
  REQUIRE(params[0].value == &dynamic_cast<nn::Linear&>(net.layer(0)).W);
  REQUIRE(params[0].grad == &dynamic_cast<nn::Linear&>(net.layer(0)).dW);
  REQUIRE(params[9].value->n_rows == 3);  // "8.b": the output bias
  REQUIRE(net.parameter_count() == 4 * 5 + 5 + 5 + 5 + 5 * 6 + 6 + 6 + 6 + 6 * 3 + 3);
}

TEST_CASE("Sequential: forward in order, backward in reverse, zero_grad, set_mode, describe",
          "[nn]") {
  Rng rng(43);
  nn::Sequential net = nn::make_mlp({4, 5, 3}, "tanh", true, 0.0, "glorot_uniform", rng);
  const arma::mat X = random_normal(4, 6, rng);

  // forward = the layers applied one after the other, by hand
  arma::mat Y = X;
  for (std::size_t i = 0; i < net.size(); ++i) Y = net.layer(i).forward(Y);
  REQUIRE(arma::approx_equal(net.forward(X), Y, "absdiff", 0.0));

  // backward twice: the same gradients (assigned, not accumulated)
  const arma::mat dY = random_normal(3, 6, rng);
  net.backward(dY);
  std::vector<arma::mat> first;
  for (const gradlab::Parameter& p : net.parameters()) first.push_back(*p.grad);
  net.backward(dY);
  const std::vector<gradlab::Parameter> params = net.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    REQUIRE(arma::abs(first[i]).max() > 0.0);
    REQUIRE(arma::approx_equal(*params[i].grad, first[i], "absdiff", 0.0));
  }

  net.zero_grad();
  for (const gradlab::Parameter& p : net.parameters()) {
    REQUIRE(p.grad->n_rows == p.value->n_rows);
    REQUIRE(p.grad->n_cols == p.value->n_cols);
    REQUIRE(arma::abs(*p.grad).max() == 0.0);
  }

  net.set_mode(nn::Mode::eval);
  REQUIRE(net.mode() == nn::Mode::eval);
  for (std::size_t i = 0; i < net.size(); ++i) REQUIRE(net.layer(i).mode() == nn::Mode::eval);
  net.add(std::make_unique<nn::ReLU>());
  REQUIRE(net.layer(net.size() - 1).mode() == nn::Mode::eval);  // joins in the net's mode

  const std::string text = net.describe();
  INFO(text);
  REQUIRE_THAT(text, Contains("5 layers") && Contains("eval mode") && Contains("Linear(4, 5)") &&
                         Contains("BatchNorm(5)") && Contains("Tanh") &&
                         Contains("W 5x4, b 5x1") && Contains("gamma 5x1, beta 5x1") &&
                         Contains(std::to_string(net.parameter_count()) + " parameters"));
  REQUIRE_THROWS_AS(net.layer(99), std::invalid_argument);
  REQUIRE_THROWS_AS(net.add(nullptr), std::invalid_argument);
}

TEST_CASE("make_mlp: layer layout, and std::invalid_argument for unknown names and bad sizes",
          "[nn]") {
  Rng rng(44);
  nn::Sequential plain = nn::make_mlp({784, 100, 100, 10}, "relu", false, 0.0, "he_normal", rng);
  std::vector<std::string> layers;
  for (std::size_t i = 0; i < plain.size(); ++i) layers.push_back(plain.layer(i).name());
  REQUIRE(layers == std::vector<std::string>{"Linear(784, 100)", "ReLU", "Linear(100, 100)",
                                             "ReLU", "Linear(100, 10)"});

  nn::Sequential full = nn::make_mlp({4, 8, 3}, "leaky_relu", true, 0.25, "standard_normal", rng);
  layers.clear();
  for (std::size_t i = 0; i < full.size(); ++i) layers.push_back(full.layer(i).name());
  REQUIRE(layers == std::vector<std::string>{"Linear(4, 8)", "BatchNorm(8)", "LeakyReLU(0.01)",
                                             "Dropout(0.25)", "Linear(8, 3)"});
  REQUIRE(nn::make_mlp({4, 3}, "tanh", true, 0.5, "glorot_uniform", rng).size() == 1);
  REQUIRE(nn::make_mlp({4, 5, 3}, "sigmoid", false, 0.0, "glorot_uniform", rng).layer(1).name() ==
          "Sigmoid");

  REQUIRE_THROWS_WITH(nn::make_mlp({4, 5, 3}, "softplus", false, 0.0, "he_normal", rng),
                      Contains("softplus") && Contains("relu"));
  REQUIRE_THROWS_WITH(nn::make_mlp({4, 5, 3}, "relu", false, 0.0, "lecun", rng),
                      Contains("lecun") && Contains("glorot_uniform"));
  REQUIRE_THROWS_AS(nn::make_mlp({4}, "relu", false, 0.0, "he_normal", rng), std::invalid_argument);
  REQUIRE_THROWS_AS(nn::make_mlp({4, 0, 3}, "relu", false, 0.0, "he_normal", rng),
                    std::invalid_argument);
  REQUIRE_THROWS_AS(nn::make_mlp({4, 5, 3}, "relu", false, 1.0, "he_normal", rng),
                    std::invalid_argument);
  nn::Sequential net;
  REQUIRE_THROWS_AS(nn::initialise(net, "he", rng), std::invalid_argument);
}

TEST_CASE("Sequential::backward_parameters: the same parameter gradients as backward, bit for bit",
          "[nn][network][backward_parameters]") {
  Rng rng(41);
  const arma::mat X = random_normal(5, 6, rng);
  const arma::uvec labels = random_labels(3, 6, rng);
  nn::CrossEntropyLoss loss;
  // backward is checked against finite differences above; training calls backward_parameters.
  auto gradients = [&](nn::Sequential& net, bool parameters_only) {
    return one_pass(net, loss, labels, [&] { return net.forward(X); }, parameters_only).gradients;
  };
  SECTION("a tanh MLP with BatchNorm and Dropout") {
    nn::Sequential net = small_net("tanh", true, 0.3, rng);
    net.layer(3).set_mode(nn::Mode::eval);  // dropout: the same mask for both passes
    net.layer(7).set_mode(nn::Mode::eval);
    const std::vector<arma::mat> full = gradients(net, false), only = gradients(net, true);
    REQUIRE(full.size() == only.size());
    for (std::size_t i = 0; i < full.size(); ++i) {
      INFO(net.parameters()[i].name);
      REQUIRE(full[i].is_finite());
      REQUIRE(arma::approx_equal(full[i], only[i], "absdiff", 0.0));
    }
  }
  SECTION("layers below the lowest Linear are skipped, the ones above are not") {
    nn::Sequential net;
    net.add(std::make_unique<nn::Tanh>());
    net.add(std::make_unique<nn::Linear>(5, 4));
    net.add(std::make_unique<nn::ReLU>());
    net.add(std::make_unique<nn::Linear>(4, 3));
    for (gradlab::Parameter& p : net.parameters()) *p.value = random_normal(p.value->n_rows, p.value->n_cols, rng);
    const std::vector<arma::mat> full = gradients(net, false), only = gradients(net, true);
    for (std::size_t i = 0; i < full.size(); ++i) REQUIRE(arma::approx_equal(full[i], only[i], "absdiff", 0.0));
  }
  SECTION("a network without parameters: nothing to do") {
    nn::Sequential net;
    net.add(std::make_unique<nn::Tanh>());
    net.forward(X);
    REQUIRE_NOTHROW(net.backward_parameters(arma::mat(5, 6, arma::fill::ones)));
  }
  SECTION("a wrong upstream shape names the layer") {
    nn::Linear layer(5, 3);
    layer.forward(X);
    REQUIRE_THROWS_WITH(layer.backward_parameters(arma::mat(4, 6, arma::fill::ones)), Contains("Linear(5, 3)"));
  }
}

TEST_CASE("Layer::forward(X&&): the same output and the same backward as forward(const X&)",
          "[nn][network][forward_move]") {
  Rng rng(43);
  const arma::mat X = random_normal(5, 4, rng);
  const arma::mat G = random_normal(3, 4, rng);
  std::vector<std::unique_ptr<nn::Layer>> kept, moved;
  auto linear = [&] {
    auto l = std::make_unique<nn::Linear>(5, 3);
    Rng r(44);
    l->W = random_normal(3, 5, r);
    l->b = random_normal(3, 1, r);
    return l;
  };
  kept.push_back(linear());
  moved.push_back(linear());
  kept.push_back(std::make_unique<nn::ReLU>());
  moved.push_back(std::make_unique<nn::ReLU>());
  kept.push_back(std::make_unique<nn::LeakyReLU>(0.1));
  moved.push_back(std::make_unique<nn::LeakyReLU>(0.1));
  for (std::size_t i = 0; i < kept.size(); ++i) {
    INFO(kept[i]->name());
    const arma::mat in = i == 0 ? X : random_normal(3, 4, rng);
    const arma::mat Y1 = kept[i]->forward(in);
    const arma::mat Y2 = moved[i]->forward(arma::mat(in));  // an input given up
    REQUIRE(arma::approx_equal(Y1, Y2, "absdiff", 0.0));
    const arma::mat g = i == 0 ? G : random_normal(3, 4, rng);
    REQUIRE(arma::approx_equal(kept[i]->backward(g), moved[i]->backward(g), "absdiff", 0.0));
  }
}

TEST_CASE("forward_borrowed and forward(X&&): the same outputs and gradients as forward(const X&)",
          "[nn][network][forward_borrowed]") {
  Rng rng(45);
  const arma::mat X = random_normal(5, 6, rng);
  const arma::uvec labels = random_labels(3, 6, rng);
  nn::CrossEntropyLoss loss;
  enum class How { copy, move, borrow };
  // One forward and backward of a fresh copy of the same network.
  auto pass = [&](How how) {
    Rng r(46);
    nn::Sequential net = small_net("relu", true, 0.0, r);  // Linear first, BatchNorm inside
    return one_pass(net, loss, labels, [&] {
      return how == How::copy   ? net.forward(X)
             : how == How::move ? net.forward(arma::mat(X))
                                : net.forward_borrowed(X);
    });
  };
  const Pass copied = pass(How::copy);
  for (How how : {How::move, How::borrow}) {
    const Pass other = pass(how);
    REQUIRE(arma::approx_equal(copied.outputs, other.outputs, "absdiff", 0.0));
    REQUIRE(other.gradients.size() == copied.gradients.size());
    for (std::size_t i = 0; i < copied.gradients.size(); ++i)
      REQUIRE(arma::approx_equal(copied.gradients[i], other.gradients[i], "absdiff", 0.0));
  }
  SECTION("Linear keeps a reference to a borrowed input, and a copy otherwise") {
    // The contract of forward_borrowed: the input must stay unchanged until backward, because
    // backward reads it (dW = dY X^T). A later forward(const X&) copies again.
    nn::Linear layer(5, 3);
    layer.W = random_normal(3, 5, rng);
    const arma::mat dY = random_normal(3, 6, rng);
    arma::mat input = X;
    layer.forward_borrowed(input);
    input *= 2.0;  // breaks the contract on purpose: dW follows the changed input
    layer.backward(dY);
    REQUIRE(arma::approx_equal(layer.dW, dY * input.t(), "absdiff", 0.0));
    layer.forward(input);
    input *= 2.0;  // a copied input is not affected
    layer.backward(dY);
    REQUIRE(arma::approx_equal(layer.dW, dY * (input / 2.0).t(), "absdiff", 0.0));
  }
}
