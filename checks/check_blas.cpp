// The BLAS thread policy (gradlab/fast/blas.hpp): one thread for small products, a fixed count when a
// program's --threads fixes it, and training that puts the caller's count back.
#include <catch2/catch.hpp>

#include "gradlab/fast/blas.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/random.hpp"
#include "gradlab/train/trainer.hpp"
#include "support.hpp"

using namespace gradlab;

TEST_CASE("blas: the thread policy by size, and a fixed count", "[blas]") {
  fast::blas::fix_threads(0);
  // A 784-100 layer at batch 1: far below the threshold, one thread.
  REQUIRE(fast::blas::threads_for(784.0 * 100.0) == 1);
  REQUIRE(fast::blas::threads_for(fast::blas::parallel_threshold * 100.0) >= 1);
  REQUIRE(fast::blas::threads_for(fast::blas::parallel_threshold * 100.0) <= fast::blas::available_threads());
  fast::blas::fix_threads(1);
  REQUIRE(fast::blas::threads_for(fast::blas::parallel_threshold * 100.0) == 1);  // fixed wins at any size
  fast::blas::fix_threads(1000);
  REQUIRE(fast::blas::threads_for(1.0) == fast::blas::available_threads());  // clamped to the cores
  fast::blas::fix_threads(0);
  REQUIRE_THROWS_AS(fast::blas::fix_threads(-1), std::invalid_argument);
  REQUIRE_THROWS_AS(fast::blas::set_threads(0), std::invalid_argument);
}

TEST_CASE("blas: training sets the policy's count and puts the caller's back", "[blas][train]") {
  if (!checks::two_threads_here()) {
    WARN("not checked: the BLAS's threads cannot be set here, or there is one core");
    return;
  }
  fast::blas::fix_threads(0);
  fast::blas::ScopedThreads caller(2);
  Rng rng(3);
  const data::Dataset set = data::make_disk(200, rng);
  nn::Sequential net = nn::make_mlp({2, 8, 2}, "tanh", false, 0.0, "glorot_uniform", rng);
  nn::CrossEntropyLoss loss;
  optim::SGD sgd(net.parameters(), {0.1, 0.9, false, 0.0});
  train::TrainOptions o;
  o.epochs = 1;
  o.batch_size = 10;
  int seen = 0;
  o.on_evaluation = [&](const train::History&) { seen = fast::blas::threads(); };
  train::fit(net, loss, sgd, {&set, nullptr, nullptr}, o);
  REQUIRE(seen == 1);                // a tiny product: one thread during the run
  REQUIRE(fast::blas::threads() == 2);     // and the caller's two afterwards
}
