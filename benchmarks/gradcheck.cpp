// Gradient checking of a 784-100-10 tanh network at batch 8 (85 782 numbers: X and the
// 79 510 parameters), float64:
//   exhaustive   nn::check_network: every number perturbed one at a time, central
//                differences, recomputing only what each perturbation changes;
//   exhaustive_rerun   check::check_vjp(nn::differentiable(...)): the same check re-running the
//                whole forward pass per perturbation (the baseline; skipped with --quick);
//   directional  check::check_directional(nn::differentiable(...)), the generic fast mode,
//                along 1 random direction (torch.autograd.gradcheck's fast_mode draws one) and 8;
//   network_directional   nn::check_network_directional: the same comparison on the
//                network's own buffers (nn/network_check.hpp), along 1 and 8 directions.
// tanh rather than ReLU so that no perturbation can cross a corner: torch.autograd.gradcheck,
// run on the same network by benchmarks/reference/torch_reference.py, has no kink rule.
//
//   ./build/bin/bench-gradcheck [--quick] [Google Benchmark options]
#include "common.hpp"

#include "gradlab/check/checker.hpp"
#include "gradlab/nn/network_check.hpp"
#include "gradlab/nn/differentiable.hpp"

#include <stdexcept>

namespace {

using namespace gradlab;

const std::vector<arma::uword> sizes{784, 100, 10};
constexpr arma::uword batch = 8;

struct Problem {
  nn::Sequential net = bench::relu_mlp(sizes, 1, "tanh");
  nn::CrossEntropyLoss loss;
  bench::Batch data = bench::random_batch(784, 10, batch);
};

double checked(const check::CheckResult& r) {
  double n = 0.0;
  for (const auto& t : r.tensors) n += static_cast<double>(t.checked);
  return n;
}

void record(benchmark::State& state, const check::CheckResult& r) {
  if (r.verdict() == check::Verdict::fail) state.SkipWithError("the check FAILED");
  state.counters["checked"] = checked(r);
  state.counters["numbers_per_s"] =
      benchmark::Counter(checked(r), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["P"] = bench::parameter_count(sizes);
  state.counters["batch"] = static_cast<double>(batch);
}

void exhaustive(benchmark::State& state) {
  bench::use_threads(state, bench::policy_threads(sizes, batch));
  Problem p;
  check::CheckResult r;
  for (auto _ : state) r = nn::check_network(p.net, p.loss, p.data.X, p.data.labels);
  record(state, r);
}

void exhaustive_rerun(benchmark::State& state) {
  bench::use_threads(state, bench::policy_threads(sizes, batch));
  Problem p;
  check::CheckResult r;
  for (auto _ : state)
    r = check::check_vjp(nn::differentiable(p.net, p.loss, p.data.X, p.data.labels));
  record(state, r);
}

void directional(benchmark::State& state) {
  bench::use_threads(state, bench::policy_threads(sizes, batch));
  const int directions = static_cast<int>(state.range(0));
  Problem p;
  check::CheckResult r;
  for (auto _ : state)
    r = check::check_directional(nn::differentiable(p.net, p.loss, p.data.X, p.data.labels),
                                 directions);
  record(state, r);
  state.counters["directions"] = directions;
}

void network_directional(benchmark::State& state) {
  bench::use_threads(state, bench::policy_threads(sizes, batch));
  const int directions = static_cast<int>(state.range(0));
  Problem p;
  check::CheckResult r;
  for (auto _ : state)
    r = nn::check_network_directional(p.net, p.loss, p.data.X, p.data.labels, directions);
  record(state, r);
  state.counters["directions"] = directions;
}

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  const bool quick = bench::take_flag(argc, argv, "--quick");
  fast::keep_freed_memory();  // for every check timed here, as check_network* call it themselves
  benchmark::RegisterBenchmark("gradcheck/exhaustive/784-100-10/batch:8", exhaustive)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(quick ? 0.1 : 2.0);
  if (!quick)
    benchmark::RegisterBenchmark("gradcheck/exhaustive_rerun/784-100-10/batch:8", exhaustive_rerun)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1);
  benchmark::RegisterBenchmark("gradcheck/directional/784-100-10/batch:8", directional)
      ->Arg(1)
      ->Arg(8)
      ->ArgName("directions")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(quick ? 0.1 : 1.0);
  benchmark::RegisterBenchmark("gradcheck/network_directional/784-100-10/batch:8",
                               network_directional)
      ->Arg(1)
      ->Arg(8)
      ->ArgName("directions")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(quick ? 0.1 : 1.0);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
