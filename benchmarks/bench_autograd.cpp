// The price of the tape: one training step (forward, softmax cross-entropy, backward, SGD
// step) of a 784-100-100-10 ReLU network, through the autograd FeedForward and through the
// manual layers (nn::make_mlp), at batch 1, 64 and 256. Both networks start from the same
// weights. After the runs, a table gives autograd time / manual time per batch size, in CPU
// time (on a busy machine the wall time is mostly waiting). One BLAS thread keeps it fair:
//
//   OPENBLAS_NUM_THREADS=1 ./build/bin/bench-autograd --benchmark_repetitions=3
#include "common.hpp"

#include "gradlab/autograd/module.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/random.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

using namespace gradlab;

const std::vector<arma::uword> sizes{784, 100, 100, 10};

struct Batch {
  arma::mat X;
  arma::uvec labels;
};

Batch make_batch(arma::uword B) {
  Rng rng(7);
  Batch b{random_uniform(784, B, rng), arma::uvec(B)};
  for (auto& l : b.labels) l = static_cast<arma::uword>(uniform01(rng) * 10.0) % 10;
  return b;
}

void manual_step(benchmark::State& state) {
  const Batch batch = make_batch(static_cast<arma::uword>(state.range(0)));
  Rng rng(1);
  nn::Sequential net = nn::make_mlp(sizes, "relu", false, 0.0, "glorot_uniform", rng);
  optim::SGD sgd(net.parameters(), {0.01, 0.9, false, 0.0});
  nn::CrossEntropyLoss loss;
  for (auto _ : state) {
    const double L = loss.forward(net.forward(batch.X), batch.labels);
    net.backward(loss.backward());
    sgd.step();
    benchmark::DoNotOptimize(L);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void autograd_step(benchmark::State& state) {
  const Batch batch = make_batch(static_cast<arma::uword>(state.range(0)));
  Rng rng(1);
  autograd::FeedForward net(sizes, false, rng);
  optim::SGD sgd(net.optimizer_parameters(), {0.01, 0.9, false, 0.0});
  const autograd::Tensor X(batch.X);
  for (auto _ : state) {
    net.zero_grad();
    autograd::Tensor L = autograd::softmax_cross_entropy(net(X), batch.labels);
    L.backward();
    sgd.step();
    benchmark::DoNotOptimize(L.item());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(manual_step)->Arg(1)->Arg(64)->Arg(256)->Unit(benchmark::kMicrosecond);
BENCHMARK(autograd_step)->Arg(1)->Arg(64)->Arg(256)->Unit(benchmark::kMicrosecond);

// The console output as usual, and the times kept to print the ratio table at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      // "manual_step/64" or, with repetitions, its "_mean" aggregate
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "mean") continue;
      const std::string name = r.run_name.function_name;
      const std::string arg = r.run_name.args;
      times_[arg][name] = r.GetAdjustedCPUTime();
    }
  }
  void print_ratios() const {
    std::printf("\nautograd / manual, CPU time per training step (784-100-100-10, ReLU, SGD)\n");
    std::printf("%8s %14s %14s %8s\n", "batch", "manual (us)", "autograd (us)", "ratio");
    for (const char* arg : {"1", "64", "256"}) {
      auto it = times_.find(arg);
      if (it == times_.end() || !it->second.count("manual_step") ||
          !it->second.count("autograd_step"))
        continue;
      const double manual = it->second.at("manual_step"), tape = it->second.at("autograd_step");
      std::printf("%8s %14.1f %14.1f %8.2f\n", arg, manual, tape, tape / manual);
    }
  }

 private:
  std::map<std::string, std::map<std::string, double>> times_;  // batch -> benchmark -> us
};

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
