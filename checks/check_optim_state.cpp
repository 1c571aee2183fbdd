// The Optimizer contract (optim/optimizer.hpp): state export / import for checkpoints, and the
// argument checks of SGD, Adam and step().
#include "gradlab/optim/adam.hpp"
#include "gradlab/optim/sgd.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace gradlab;
using namespace gradlab::checks;
using Catch::Matchers::Contains;

namespace {

// A two-tensor "model" (W: 2x3, b: 2x1) on the loss sum of 1/2 a theta^2 - c theta per entry,
// so the gradient a % theta - c is known without a network.
struct Model {
  arma::mat W{{0.5, -1.0, 2.0}, {1.5, 0.2, -0.3}};
  arma::mat b = arma::vec{0.1, -0.4};
  arma::mat dW = arma::mat(2, 3, arma::fill::zeros), db = arma::mat(2, 1, arma::fill::zeros);
  std::vector<gradlab::Parameter> parameters() { return {{"W", &W, &dW}, {"b", &b, &db}}; }
  void backward() {
    dW = arma::mat{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}} % W - 0.5;
    db = arma::mat(arma::vec{2.0, 0.5}) % b + 0.25;
  }
};

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<gradlab::Parameter>)>;

}  // namespace

TEST_CASE("optimizer state: export then import resumes the run exactly", "[optim][state]") {
  const std::vector<std::pair<std::string, MakeOptimizer>> kinds{
      {"SGD momentum",
       [](auto p) {
         return std::make_unique<optim::SGD>(
             p, optim::SGDOptions{.learning_rate = 0.05, .momentum = 0.9});
       }},
      {"SGD Nesterov",
       [](auto p) {
         return std::make_unique<optim::SGD>(
             p, optim::SGDOptions{.learning_rate = 0.05, .momentum = 0.9, .nesterov = true});
       }},
      {"Adam", [](auto p) {
         return std::make_unique<optim::Adam>(p, optim::AdamOptions{.learning_rate = 0.05});
       }}};
  for (const auto& [label, make] : kinds) {
    INFO(label);
    Model first;
    auto original = make(first.parameters());
    for (int k = 0; k < 5; ++k) {
      first.backward();
      original->step();
    }
    original->set_learning_rate(0.02);
    const optim::OptimizerState saved = original->export_state();
    CHECK(saved.steps == 5);
    CHECK(saved.learning_rate == 0.02);

    // A second model restored from the first (as a checkpoint would), one fresh for contrast.
    Model resumed = first, fresh = first;
    auto restored = make(resumed.parameters());
    auto restarted = make(fresh.parameters());
    restored->import_state(saved);
    restarted->set_learning_rate(0.02);
    CHECK(restored->steps() == 5);
    CHECK(restored->learning_rate() == 0.02);
    for (int k = 0; k < 10; ++k) {
      first.backward();
      original->step();
      resumed.backward();
      restored->step();
      fresh.backward();
      restarted->step();
    }
    CHECK(arma::approx_equal(first.W, resumed.W, "absdiff", 0.0));
    CHECK(arma::approx_equal(first.b, resumed.b, "absdiff", 0.0));
    CHECK(arma::abs(first.W - fresh.W).max() > 1e-6);  // the state mattered
    const optim::OptimizerState a = original->export_state(), b = restored->export_state();
    REQUIRE(a.buffers.size() == b.buffers.size());
    for (std::size_t k = 0; k < a.buffers.size(); ++k)
      CHECK(arma::approx_equal(a.buffers[k], b.buffers[k], "absdiff", 0.0));
  }
}

TEST_CASE("optimizer state: buffers are named <parameter>.<buffer>, in parameter order",
          "[optim][state]") {
  Model model;
  const optim::OptimizerState momentum =
      optim::SGD(model.parameters(), {.momentum = 0.5}).export_state();
  CHECK(momentum.optimizer == "SGD");
  CHECK(momentum.names == std::vector<std::string>{"W.velocity", "b.velocity"});
  REQUIRE(momentum.buffers.size() == 2);
  CHECK(arma::size(momentum.buffers[0]) == arma::size(2, 3));
  CHECK(arma::size(momentum.buffers[1]) == arma::size(2, 1));
  CHECK(momentum.buffers[0].is_zero());

  CHECK(optim::SGD(model.parameters()).export_state().buffers.empty());  // plain SGD: no state

  const optim::OptimizerState adam = optim::Adam(model.parameters()).export_state();
  CHECK(adam.optimizer == "Adam");
  CHECK(adam.names == std::vector<std::string>{"W.m", "W.v", "b.m", "b.v"});
  CHECK(adam.steps == 0);
}

TEST_CASE("optimizer state: a mismatched import throws naming the parameter, changing nothing",
          "[optim][state]") {
  Model model;
  optim::Adam adam(model.parameters(), {.learning_rate = 0.01});
  model.backward();
  adam.step();
  const optim::OptimizerState good = adam.export_state();

  optim::OptimizerState wrong_shape = good;
  wrong_shape.buffers[2] = arma::mat(3, 1, arma::fill::ones);  // b.m
  CHECK_THAT(error_of<std::invalid_argument>([&] { adam.import_state(wrong_shape); }),
             Contains("parameter 'b'") && Contains("3x1") && Contains("2x1"));

  optim::OptimizerState too_few = good;
  too_few.buffers.pop_back();
  too_few.names.pop_back();
  CHECK_THAT(error_of<std::invalid_argument>([&] { adam.import_state(too_few); }),
             Contains("3 buffers") && Contains("expects 4"));

  optim::OptimizerState renamed = good;
  renamed.names[0] = "W.velocity";
  CHECK_THAT(error_of<std::invalid_argument>([&] { adam.import_state(renamed); }),
             Contains("parameter 'W'") && Contains("W.velocity"));

  optim::OptimizerState other = good;
  other.optimizer = "SGD";
  CHECK_THAT(error_of<std::invalid_argument>([&] { adam.import_state(other); }), Contains("'SGD'"));

  // SGD with momentum refuses plain SGD's (empty) state: the count differs.
  optim::SGD plain(model.parameters()), heavy(model.parameters(), {.momentum = 0.9});
  CHECK_THAT(error_of<std::invalid_argument>([&] { heavy.import_state(plain.export_state()); }),
             Contains("0 buffers") && Contains("expects 2"));

  // Nothing was changed by the failed imports.
  const optim::OptimizerState after = adam.export_state();
  CHECK(after.steps == 1);
  for (std::size_t k = 0; k < good.buffers.size(); ++k)
    CHECK(arma::approx_equal(after.buffers[k], good.buffers[k], "absdiff", 0.0));
}

TEST_CASE("optimizer options: invalid arguments throw naming the option and its value",
          "[optim][options]") {
  Model model;
  const auto p = model.parameters();
  auto sgd = [&](optim::SGDOptions o) {
    return error_of<std::invalid_argument>([&] { optim::SGD(p, o); });
  };
  auto adam = [&](optim::AdamOptions o) {
    return error_of<std::invalid_argument>([&] { optim::Adam(p, o); });
  };

  CHECK_THAT(sgd({.learning_rate = 0.0}), Contains("SGD") && Contains("learning_rate = 0"));
  CHECK_THAT(sgd({.learning_rate = -0.1}), Contains("learning_rate = -0.1"));
  CHECK_THAT(sgd({.learning_rate = std::nan("")}), Contains("learning_rate = ") && Contains("nan"));
  CHECK_THAT(sgd({.momentum = 1.0}),
             Contains("SGD") && Contains("momentum = 1") && Contains("[0, 1)"));
  CHECK_THAT(sgd({.momentum = -0.2}), Contains("momentum = -0.2"));
  CHECK_THAT(sgd({.weight_decay = -1e-4}), Contains("weight_decay = -0.0001"));
  CHECK_THAT(sgd({.nesterov = true}), Contains("nesterov") && Contains("momentum = 0"));

  CHECK_THAT(adam({.learning_rate = 0.0}), Contains("Adam") && Contains("learning_rate = 0"));
  CHECK_THAT(adam({.beta1 = 1.0}), Contains("Adam") && Contains("beta1 = 1") && Contains("[0, 1)"));
  CHECK_THAT(adam({.beta1 = -0.5}), Contains("beta1 = -0.5"));
  CHECK_THAT(adam({.beta2 = 1.5}), Contains("beta2 = 1.5"));
  CHECK_THAT(adam({.eps = 0.0}), Contains("eps = 0"));
  CHECK_THAT(adam({.weight_decay = -1.0}), Contains("weight_decay = -1"));

  // the boundary values that are allowed
  CHECK_NOTHROW(optim::SGD(p, {.momentum = 0.0, .weight_decay = 0.0}));
  CHECK_NOTHROW(optim::Adam(p, {.beta1 = 0.0, .beta2 = 0.0}));

  optim::SGD ok(p);
  CHECK_THAT(error_of<std::invalid_argument>([&] { ok.set_learning_rate(0.0); }),
             Contains("learning_rate = 0"));
  CHECK(ok.learning_rate() == 0.01);  // unchanged
  CHECK_THAT(error_of<std::invalid_argument>([&] { optim::SGD({}); }), Contains("empty"));
  CHECK_THAT(error_of<std::invalid_argument>([&] {
               optim::SGD({{"W", &model.W, nullptr}});
             }),
             Contains("parameter 'W'"));
}

TEST_CASE("optimizer step: a grad shaped unlike its value throws naming the parameter",
          "[optim][options]") {
  Model model;
  optim::SGD sgd(model.parameters(), {.momentum = 0.9});
  model.backward();
  model.db = arma::mat(3, 1, arma::fill::ones);
  const arma::mat W_before = model.W;
  CHECK_THAT(error_of<std::invalid_argument>([&] { sgd.step(); }),
             Contains("parameter 'b'") && Contains("3x1") && Contains("2x1"));
  CHECK(arma::approx_equal(model.W, W_before, "absdiff", 0.0));  // no parameter moved
  CHECK(sgd.steps() == 0);
}
