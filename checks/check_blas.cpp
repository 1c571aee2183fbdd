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

#include <algorithm>
#include <cmath>

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

TEST_CASE("blas: the policy's count by size on 1, 2, 4 and 16 cores", "[blas]") {
  using fast::blas::threads_by_size;
  const double threshold = fast::blas::parallel_threshold, share = fast::blas::work_per_thread;
  for (int cores : {1, 2, 4, 16}) {
    INFO(cores << " cores");
    const int most = std::min(cores, std::max(2, static_cast<int>(fast::blas::core_share * cores)));
    REQUIRE(threads_by_size(784.0 * 100.0, cores) == 1);  // 784-100 at batch 1
    REQUIRE(threads_by_size(threshold * 0.999, cores) == 1);
    const int at_threshold = cores == 1 ? 1 : std::clamp(static_cast<int>(threshold / share), 2, most);
    REQUIRE(threads_by_size(threshold, cores) == at_threshold);
    REQUIRE(threads_by_size(1e12, cores) == most);  // a huge product: the share of the cores
    int last = 1;
    for (double m = 1e3; m < 1e10; m *= 1.3) {  // more work never gets fewer threads
      const int n = threads_by_size(m, cores);
      REQUIRE(n >= last);
      REQUIRE(n <= most);
      last = n;
    }
  }
  // 2 cores: both from the threshold on (two threads are 1.2x faster at 5e6 multiply-adds)
  REQUIRE(threads_by_size(threshold, 2) == 2);
  // 4 cores: three of them at most
  REQUIRE(threads_by_size(1e9, 4) == 3);
  // 16 cores: a thread per work_per_thread multiply-adds, then 12 of the 16
  REQUIRE(threads_by_size(threshold, 16) == 5);
  REQUIRE(threads_by_size(7.0 * share + 1.0, 16) == 7);
  REQUIRE(threads_by_size(12.0 * share, 16) == 12);
  REQUIRE(threads_by_size(100.0 * share, 16) == 12);
  // 784-100-100-10 at batch 1, 5, 32, 64, 256, 1000 on 16 cores (largest product 78,400 B)
  for (auto [batch, threads] : {std::pair{1, 1}, {5, 1}, {32, 6}, {64, 12}, {256, 12}, {1000, 12}})
    REQUIRE(threads_by_size(78400.0 * batch, 16) == threads);
  REQUIRE(threads_by_size(std::nan(""), 16) == 1);
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
