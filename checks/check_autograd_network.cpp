// Whole networks, three witnesses: the manual layers (nn::Sequential + nn::Loss, batch norm by
// its closed form), the autograd FeedForward (batch norm composed from primitives), and finite
// differences on the autograd network. Then training it with the existing optimisers.
#include <catch2/catch.hpp>

#include "gradlab/autograd/module.hpp"
#include "gradlab/autograd/witness.hpp"
#include "gradlab/check/checker.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/random.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include "support.hpp"

using namespace gradlab::checks;

namespace {

using namespace gradlab;
using namespace gradlab::autograd;

// The network as report 000 would build it and the manual one, from the same seed.
struct Pair {
  std::unique_ptr<FeedForward> tape;
  nn::Sequential manual;
};

Pair make_pair(const std::vector<arma::uword>& sizes, bool tanh, bool batchnorm, std::uint64_t seed) {
  Rng a(seed), b(seed);
  Pair p;
  p.tape = std::make_unique<FeedForward>(sizes, tanh, a, batchnorm);
  p.manual = nn::make_mlp(sizes, tanh ? "tanh" : "relu", batchnorm, 0.0, "glorot_uniform", b);
  return p;
}

Tensor tape_loss(const std::string& loss, const Tensor& outputs, const arma::uvec& labels) {
  if (loss == "mse") return mse_loss(outputs, labels);
  if (loss == "nll") return nll_loss(log_softmax(outputs), labels);
  return softmax_cross_entropy(outputs, labels);
}

std::unique_ptr<nn::Loss> manual_loss(const std::string& loss) {
  if (loss == "mse") return std::make_unique<nn::MSELoss>();
  return std::make_unique<nn::CrossEntropyLoss>();  // nll(log_softmax) is the same function
}

// The autograd network and its loss as a function of X and every parameter, for the checker.
check::Differentiable tape_differentiable(FeedForward& net, const std::string& loss,
                                          const arma::mat& X, const arma::uvec& labels) {
  auto input = std::make_shared<arma::mat>(X);
  check::Differentiable fn;
  fn.inputs.push_back({"X", input.get()});
  for (auto& [name, p] : net.named_parameters()) fn.inputs.push_back({name, &p.node()->data});
  fn.forward = [&net, loss, input, labels] {
    return arma::mat{tape_loss(loss, net(Tensor(*input)), labels).item()};
  };
  fn.backward = [&net, loss, input, labels](const arma::mat& G) {
    net.zero_grad();
    Tensor X(*input, true);
    tape_loss(loss, net(X), labels).backward(G);
    std::vector<arma::mat> grads{X.grad()};
    for (const autograd::Parameter& p : net.parameters()) grads.push_back(p.grad());
    return grads;
  };
  fn.owner = input;
  return fn;
}

// The largest |a - m| of one parameter over the largest entry of the whole network's list:
// normwise over the network, because a bias followed by batch norm has a gradient that is 0
// analytically, and both witnesses give rounding noise there (relative to itself, O(1)).
double network_difference(const arma::mat& a, const arma::mat& m, double network_scale) {
  return arma::abs(a - arma::reshape(m, arma::size(a))).max() / network_scale;
}

}  // namespace

TEST_CASE("autograd: FeedForward has make_mlp's layout, names and weights for the same seed",
          "[autograd][network]") {
  for (bool batchnorm : {false, true}) {
    Pair p = make_pair({5, 4, 4, 3}, true, batchnorm, 9);
    const auto tape = p.tape->named_parameters();
    const auto manual = p.manual.parameters();
    REQUIRE(tape.size() == manual.size());
    for (std::size_t i = 0; i < tape.size(); ++i) {
      CHECK(tape[i].first == manual[i].name);
      CHECK(arma::approx_equal(tape[i].second.data(),
                               arma::reshape(*manual[i].value, arma::size(tape[i].second.data())),
                               "absdiff", 0.0));
    }
  }
}

TEST_CASE("autograd: network gradients equal the manual layers' (manual, tape, finite differences)",
          "[autograd][network][witness]") {
  Rng rng(13);
  const arma::mat X = random_normal(5, 6, rng);
  const arma::uvec labels = random_labels(3, 6, rng);
  for (bool tanh : {false, true})
    for (bool batchnorm : {false, true})
      for (const std::string loss : {"cross_entropy", "nll", "mse"}) {
        INFO((tanh ? "tanh" : "relu") << (batchnorm ? " + batchnorm" : "") << ", loss " << loss);
        Pair p = make_pair({5, 4, 4, 3}, tanh, batchnorm, 17);
        auto manual = manual_loss(loss);
        const double L_manual = manual->forward(p.manual.forward(X), labels);
        const arma::mat dX_manual = p.manual.backward(manual->backward());

        p.tape->zero_grad();
        Tensor Xt(X, true);
        Tensor L = tape_loss(loss, (*p.tape)(Xt), labels);
        L.backward();
        CHECK(L.item() == Approx(L_manual).epsilon(1e-12));
        CHECK(relative_difference(Xt.grad(), dX_manual) <= 1e-8);
        const auto tape = p.tape->named_parameters();
        const auto params = p.manual.parameters();
        double scale = 0.0;
        for (const auto& q : params) scale = std::max(scale, arma::abs(*q.grad).max());
        for (std::size_t i = 0; i < tape.size(); ++i) {
          INFO(tape[i].first);
          CHECK(network_difference(tape[i].second.grad(), *params[i].grad, scale) <= 1e-8);
        }

        const check::CheckResult fd = check::check_vjp(tape_differentiable(*p.tape, loss, X, labels));
        CHECK(fd.verdict() != check::Verdict::fail);
      }
}

TEST_CASE("autograd: FeedForward trains with the existing SGD and follows the manual network",
          "[autograd][network][optim]") {
  Rng rng(23);
  const arma::mat X = random_normal(8, 32, rng);
  const arma::uvec labels = random_labels(4, 32, rng);
  Pair p = make_pair({8, 16, 4}, false, true, 29);
  optim::SGD tape_sgd(p.tape->optimizer_parameters(), {0.1, 0.9, false, 0.0});
  optim::SGD manual_sgd(p.manual.parameters(), {0.1, 0.9, false, 0.0});
  nn::CrossEntropyLoss manual;
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 20; ++step) {
    p.tape->zero_grad();  // the tape accumulates into parameters
    Tensor L = softmax_cross_entropy((*p.tape)(Tensor(X)), labels);
    L.backward();
    tape_sgd.step();
    manual.forward(p.manual.forward(X), labels);
    p.manual.backward(manual.backward());
    manual_sgd.step();
    if (step == 0) first = L.item();
    last = L.item();
  }
  CHECK(last < 0.5 * first);
  const auto tape = p.tape->named_parameters();
  const auto params = p.manual.parameters();
  double scale = 0.0;
  for (const auto& q : params) scale = std::max(scale, arma::abs(*q.value).max());
  for (std::size_t i = 0; i < tape.size(); ++i) {
    INFO(tape[i].first);
    CHECK(network_difference(tape[i].second.data(), *params[i].value, scale) <= 1e-8);
  }
}

TEST_CASE("autograd: Module bookkeeping: names, optimizer parameters, zero_grad",
          "[autograd][network]") {
  Rng rng(1);
  FeedForward net({3, 2, 2}, false, rng, true);
  std::vector<std::string> names;
  for (auto& [name, p] : net.named_parameters()) names.push_back(name);
  CHECK(names == std::vector<std::string>{"0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b"});
  const auto opt = net.optimizer_parameters();
  REQUIRE(opt.size() == 6);
  CHECK(opt[0].value == &net.parameters()[0].data());
  CHECK(opt[0].grad->n_rows == 2);
  CHECK(opt[0].grad->n_cols == 3);
  Tensor L = mean(net(Tensor(random_normal(3, 4, rng))));
  L.backward();
  CHECK(arma::accu(arma::abs(*opt[0].grad)) > 0.0);
  net.zero_grad();
  CHECK(arma::accu(arma::abs(*opt[0].grad)) == 0.0);
  CHECK_THROWS_AS(FeedForward({3}, false, rng), std::invalid_argument);
}
