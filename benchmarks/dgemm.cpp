// The machine's limit: the rate Armadillo/OpenBLAS reaches on each matrix product of a training
// step of the benchmarked networks (784-100-100-10 and 784-200-150-100-50-25-10-10), at every
// batch size of bench-training, on 1, 2, 4, ... threads up to the machine's cores
// (bench::thread_counts). Each product is timed as nn::Linear
// writes it (bench::ProductCall, common.hpp):
//   Y=WX      Y = W * X          (out x in) (in x B)
//   dW=dYX'   dW = dY * X.t()    (out x B) (B x in)
//   dX=W'dY   dX = W.t() * dY    (in x out) (out x B)
// (at batch 1 Armadillo calls a matrix-vector product for Y=WX and dX=W'dY). Two repetitions;
// bench-plot keeps the faster, and sums 2 M N K / rate over a step's products for its FLOP-bound
// time.
//
//   ./build/bin/bench-dgemm [--quick] [Google Benchmark options]
#include "common.hpp"

#include <set>
#include <tuple>

namespace {

using namespace gradlab;

void product(benchmark::State& state, bench::Product p, int threads) {
  bench::use_threads(state, threads);
  bench::ProductCall call(p);
  for (auto _ : state) {
    call();
    benchmark::ClobberMemory();
  }
  state.counters["FLOPS"] = bench::flop_rate(p.flops());
  state.counters["M"] = static_cast<double>(p.M);
  state.counters["N"] = static_cast<double>(p.N);
  state.counters["K"] = static_cast<double>(p.K);
}

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  const bool quick = bench::take_flag(argc, argv, "--quick");
  fast::keep_freed_memory();  // as train::fit does: no page faults on the blocks a step frees
  std::set<std::tuple<std::string, arma::uword, arma::uword, arma::uword>> seen;
  const int most = fast::blas::available_threads();
  for (const auto* sizes : {&bench::mlp_two_hidden, &bench::mlp_six_hidden}) {
    for (arma::uword B : bench::batch_sizes) {
      if (quick && B != 1 && B != 64 && B != 256) continue;
      for (const bench::Product& p : bench::step_products(*sizes, B, true)) {
        if (!seen.insert({p.kind, p.M, p.N, p.K}).second) continue;
        for (int threads : bench::thread_counts(most)) {
          const std::string name = "dgemm/" + p.kind + "/" + std::to_string(p.M) + "x" +
                                   std::to_string(p.N) + "x" + std::to_string(p.K) +
                                   "/threads:" + std::to_string(threads);
          benchmark::RegisterBenchmark(name.c_str(), product, p, threads)
              ->UseRealTime()
              ->Unit(benchmark::kMicrosecond)
              ->MinTime(quick ? 0.01 : p.flops() < 1e7 ? 0.01 : 0.03)
              ->Repetitions(quick ? 1 : 2);  // bench-plot keeps the faster
        }
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
