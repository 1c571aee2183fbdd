// The fused step against the step apart: nn::Sequential::backward_and_update(dY, optimizer),
// which updates each layer's parameters as soon as its backward has run (and at batch 1 under
// momentum SGD never forms a Linear layer's dW: fast::heavy_ball_outer_step), leaves the values
// and the optimiser's state bit for bit as backward_parameters(dY) then optimizer.step() do:
// over three steps, at batches 1, 64 and 256, for every optimiser form, on one thread and on
// every core. And the comparison can fail: a Linear that computes dX after W has moved, one
// that updates b from the last step's db, and a fused kernel without the velocity's decay are
// told apart.
#include <catch2/catch.hpp>

#include "gradlab/fast/blas.hpp"
#include "gradlab/fast/kernels.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/adam.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/random.hpp"
#include "support.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace gradlab;
using gradlab::checks::same_bits;
using gradlab::checks::thread_counts_here;

namespace {

// The network under test: 200 -> 64 -> 32 -> 10, ReLU (the fused kernel's first layer has
// 12,800 weights: cut into slices on two threads), or tanh with BatchNorm or Dropout.
struct Net {
  std::string activation = "relu";
  bool batchnorm = false;
  double dropout = 0.0;
};

nn::Sequential make_net(const Net& n) {
  Rng rng(7);
  return nn::make_mlp({200, 64, 32, 10}, n.activation, n.batchnorm, n.dropout, "he_normal", rng);
}

// A batch like MNIST's: a third of the pixels exactly 0, a -0 among them.
struct Batch {
  arma::mat X;
  arma::uvec labels;
};

Batch make_batch(arma::uword B, std::uint64_t seed) {
  Rng rng(seed);
  Batch b{random_normal(200, B, rng), arma::uvec(B)};
  for (arma::uword k = 0; k < b.X.n_elem; k += 3) b.X(k) = 0.0;
  b.X(1) = -0.0;
  for (arma::uword j = 0; j < B; ++j) b.labels(j) = (j * 7 + seed) % 10;
  return b;
}

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<Parameter>)>;
using Mutate = std::function<void(nn::Sequential&)>;

struct Outcome {
  std::vector<arma::mat> values;  // every parameter after the steps
  optim::OptimizerState state;
  arma::mat first_dW;             // layer 0's dW after the steps
};

// Three training steps, fused (backward_and_update) or apart (backward_parameters, step()).
Outcome three_steps(const Net& net_kind, arma::uword B, const MakeOptimizer& make_optimizer,
                    bool fused, const Mutate& mutate = {}) {
  nn::Sequential net = make_net(net_kind);
  if (mutate) mutate(net);
  std::unique_ptr<optim::Optimizer> optimizer = make_optimizer(net.parameters());
  nn::CrossEntropyLoss loss;
  for (int k = 0; k < 3; ++k) {
    const Batch batch = make_batch(B, 10 + k);
    loss.forward(net.forward_borrowed(batch.X), batch.labels);
    if (fused) {
      net.backward_and_update(loss.backward(), *optimizer);
    } else {
      net.backward_parameters(loss.backward());
      optimizer->step();
    }
  }
  Outcome out;
  for (const Parameter& p : net.parameters()) out.values.push_back(*p.value);
  out.state = optimizer->export_state();
  out.first_dW = static_cast<nn::Linear&>(net.layer(0)).dW;
  return out;
}

// Where the fused steps differ from the steps apart, at each batch and thread count; empty when
// nowhere.
std::string first_difference(const Net& net, const MakeOptimizer& make_optimizer,
                             const Mutate& mutate = {},
                             const std::vector<arma::uword>& batches = {1, 64, 256}) {
  for (const int threads : thread_counts_here()) {
    fast::blas::ScopedThreads scoped(threads);
    for (const arma::uword B : batches) {
      const Outcome apart = three_steps(net, B, make_optimizer, false);
      const Outcome fused = three_steps(net, B, make_optimizer, true, mutate);
      const std::string where =
          " at batch " + std::to_string(B) + " on " + std::to_string(threads) + " thread(s)";
      for (std::size_t k = 0; k < apart.values.size(); ++k)
        if (!same_bits(apart.values[k], fused.values[k]))
          return "parameter " + std::to_string(k) + where;
      for (std::size_t k = 0; k < apart.state.buffers.size(); ++k)
        if (!same_bits(apart.state.buffers[k], fused.state.buffers[k]))
          return "state " + apart.state.names[k] + where;
      if (apart.state.steps != fused.state.steps) return "step count" + where;
    }
  }
  return "";
}

const MakeOptimizer momentum = [](std::vector<Parameter> p) {
  return std::make_unique<optim::SGD>(std::move(p), optim::SGDOptions{0.05, 0.9, false, 0.0});
};

}  // namespace

TEST_CASE("fused update: backward_and_update equals backward_parameters + step bit for bit, every optimiser, batches 1, 64, 256",
          "[fused][optim]") {
  const std::vector<std::pair<std::string, MakeOptimizer>> optimizers{
      {"momentum SGD", momentum},
      {"plain SGD",
       [](std::vector<Parameter> p) {
         return std::make_unique<optim::SGD>(std::move(p), optim::SGDOptions{0.05, 0.0, false, 0.0});
       }},
      {"Nesterov SGD",
       [](std::vector<Parameter> p) {
         return std::make_unique<optim::SGD>(std::move(p), optim::SGDOptions{0.05, 0.9, true, 0.0});
       }},
      {"momentum SGD with weight decay",
       [](std::vector<Parameter> p) {
         return std::make_unique<optim::SGD>(std::move(p), optim::SGDOptions{0.05, 0.9, false, 1e-3});
       }},
      {"Adam", [](std::vector<Parameter> p) {
         return std::make_unique<optim::Adam>(std::move(p), optim::AdamOptions{1e-3});
       }}};
  for (const auto& [name, make_optimizer] : optimizers) {
    INFO(name);
    CHECK(first_difference(Net{}, make_optimizer).empty());
  }
  INFO("tanh with Dropout, momentum SGD");
  CHECK(first_difference(Net{"tanh", false, 0.25}, momentum).empty());
  INFO("tanh with BatchNorm (in train mode: two samples at least), momentum SGD");
  CHECK(first_difference(Net{"tanh", true, 0.0}, momentum, {}, {2, 64}).empty());
}

TEST_CASE("fused update: at batch 1 under momentum SGD the first layer's dW is never formed",
          "[fused][optim]") {
  // The comparison above is not vacuous: the fused path ran (dW kept its zeros from
  // construction), and the steps apart wrote dW.
  CHECK(arma::all(arma::vectorise(three_steps(Net{}, 1, momentum, true).first_dW) == 0.0));
  CHECK(arma::any(arma::vectorise(three_steps(Net{}, 1, momentum, false).first_dW) != 0.0));
  // at batch 64 the layer computes dW and the optimiser updates from it
  CHECK(arma::any(arma::vectorise(three_steps(Net{}, 64, momentum, true).first_dW) != 0.0));
}

TEST_CASE("fast: heavy_ball_outer_step equals optim::heavy_ball_step with g = dy x^T bit for bit",
          "[fused][fast]") {
  Rng rng(3);
  const arma::mat dy = random_normal(64, 1, rng);
  arma::mat x = random_normal(200, 1, rng);
  for (arma::uword k = 0; k < x.n_elem; k += 3) x(k) = 0.0;
  x(1) = -0.0;
  const arma::mat start = random_normal(64, 200, rng);
  for (const int threads : thread_counts_here()) {
    fast::blas::ScopedThreads scoped(threads);
    arma::mat v1(64, 200, arma::fill::zeros), v2 = v1, theta1 = start, theta2 = start;
    for (int k = 0; k < 3; ++k) {
      optim::heavy_ball_step(v1, theta1, dy * x.t(), 0.9, 0.05);
      fast::heavy_ball_outer_step(v2, theta2, dy, x, 0.9, 0.05);
    }
    CHECK(same_bits(v1, v2));
    CHECK(same_bits(theta1, theta2));
  }
  arma::mat v(64, 200, arma::fill::zeros), theta = start;
  CHECK_THROWS_WITH(fast::heavy_ball_outer_step(v, theta, dy, x.rows(0, 9), 0.9, 0.05),
                    Catch::Contains("theta is 64x200 but dy x^T is 64x10"));
}

namespace {

// Deliberately broken fused Linears, each standing in for layer `index` of the network.
enum class Bug { dX_after_update, db_stale, no_decay };

class BrokenLinear : public nn::Linear {
 public:
  BrokenLinear(const nn::Linear& original, Bug bug) : nn::Linear(original), bug_(bug) {}
  // the input kept for the broken update (Linear keeps its own privately)
  arma::mat forward(const arma::mat& X) override {
    X_ = X;
    return nn::Linear::forward(X);
  }
  arma::mat forward(arma::mat&& X) override { return forward(static_cast<const arma::mat&>(X)); }
  arma::mat forward_borrowed(const arma::mat& X) override { return forward(X); }
  arma::mat backward_and_update(const arma::mat& dY, ParameterUpdate& update,
                                bool input_gradient) override {
    if (X_.n_cols != 1) return nn::Linear::backward_and_update(dY, update, input_gradient);
    std::optional<ParameterUpdate::HeavyBall> rule = update.take_heavy_ball({"W", &W, &dW});
    REQUIRE(rule);
    arma::mat dX;
    if (input_gradient && bug_ != Bug::dX_after_update) dX = W.t() * dY;
    fast::heavy_ball_outer_step(*rule->velocity, W, dY, X_, bug_ == Bug::no_decay ? 1.0 : rule->mu,
                                rule->lr);
    if (input_gradient && bug_ == Bug::dX_after_update) dX = W.t() * dY;  // W has moved
    if (bug_ != Bug::db_stale) db = dY;
    update.update_parameter({"b", &b, &db});
    return dX;
  }

 private:
  Bug bug_;
  arma::mat X_;
};

Mutate break_layer(std::size_t index, Bug bug) {
  return [=](nn::Sequential& net) {
    const auto& original = static_cast<const nn::Linear&>(net.layer(index));
    net.replace(index, std::make_unique<BrokenLinear>(original, bug));
  };
}

}  // namespace

TEST_CASE("fused update: the comparison tells deliberately broken fused layers from the steps apart",
          "[fused][mutation]") {
  // Layer 2 is Linear(64, 32): its dX feeds layer 0's gradient.
  CHECK_THAT(first_difference(Net{}, momentum, break_layer(2, Bug::dX_after_update)),
             Catch::Contains("parameter 0 at batch 1"));
  // b updated from the last step's db
  CHECK_THAT(first_difference(Net{}, momentum, break_layer(0, Bug::db_stale)),
             Catch::Contains("at batch 1"));
  CHECK_THAT(first_difference(Net{}, momentum, break_layer(4, Bug::no_decay)),
             Catch::Contains("at batch 1"));
}

TEST_CASE("fused update: an optimiser refuses updates outside a step or twice in one",
          "[fused][optim]") {
  arma::mat W(2, 2, arma::fill::ones), dW(2, 2, arma::fill::ones);
  optim::SGD sgd({{"W", &W, &dW}}, {0.1, 0.9});
  const Parameter p{"W", &W, &dW};
  CHECK_THROWS_AS(sgd.update_parameter(p), std::logic_error);
  sgd.start_step();
  const std::optional<ParameterUpdate::HeavyBall> rule = sgd.take_heavy_ball(p);
  REQUIRE(rule.has_value());
  optim::heavy_ball_step(*rule->velocity, W, dW, rule->mu, rule->lr);  // the caller applies it
  CHECK_THROWS_WITH(sgd.update_parameter(p), Catch::Contains("parameter 'W' (index 0) was updated already"));
  sgd.finish_step();
  CHECK(sgd.steps() == 1);
  // a parameter the optimiser was not built on is left alone
  arma::mat other(1, 1, arma::fill::ones), dother(1, 1, arma::fill::ones);
  sgd.start_step();
  CHECK_FALSE(sgd.take_heavy_ball({"x", &other, &dother}).has_value());
  sgd.update_parameter({"x", &other, &dother});
  sgd.finish_step();
  CHECK(other(0, 0) == 1.0);
  CHECK(W(0, 0) == Approx(1.0 - 0.1 * 1.0 - 0.1 * 1.9));  // two heavy-ball steps, the first fused (g = dW = 1)
}
