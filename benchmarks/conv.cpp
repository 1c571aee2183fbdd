// A convolution's forward and backward, one iteration = conv2d_forward + conv2d_backward (dX, dW
// and db), on the 3x3, padding-1 layers of a small VGG-style network at batch 64:
//   3-32-32x32    3 channels -> 32, images 32x32 (the first layer, CIFAR-sized)
//   32-64-16x16   32 -> 64 after one 2x2 pool
//   64-128-8x8    64 -> 128 after two
// for the reference (ops::conv2d_*, the direct sums, one thread: it has no threads) and the fast
// path (fast::conv2d_*, im2col + GEMM) on 1, 2, 4, ... BLAS threads up to the cores.
// `./workbench bench --compare` times PyTorch's F.conv2d forward and backward in float64 on the
// same layers and thread counts (benchmarks/reference/torch_reference.py --task conv), and
// bench-plot sets the three side by side (table_conv.csv).
// Counters: images/s, GFLOP/s (3 products of 2 K Q P B FLOPs each: Y, dW, dX; Q = C kh kw,
// P = Ho Wo), the thread count.
//
//   ./build/bin/bench-conv [--quick] [Google Benchmark options]
// --quick: the fast path only, one thread count (the reference takes seconds per iteration).
#include "common.hpp"

#include "gradlab/fast/conv.hpp"
#include "gradlab/ops/conv2d.hpp"

#include <functional>

namespace {

using namespace gradlab;

struct Layer {
  std::string name;
  ops::ImageShape in;
  arma::uword kernels;
};

const Layer layers[] = {
    {"3-32-32x32", {3, 32, 32}, 32},
    {"32-64-16x16", {32, 16, 16}, 64},
    {"64-128-8x8", {64, 8, 8}, 128},
};
constexpr arma::uword batch = 64;
const ops::Conv2dOptions same{3, 3, 1, 1};

struct Data {
  arma::mat X, W, dY;
  arma::vec b;
};

Data draw(const Layer& l) {
  Rng rng(5);
  Data d;
  const ops::ImageShape out = ops::conv2d_output_shape(l.in, l.kernels, same);
  d.X = random_normal(l.in.size(), batch, rng);
  d.W = 0.1 * random_normal(l.kernels, l.in.channels * 9, rng);
  d.b = random_normal(l.kernels, 1, rng);
  d.dY = random_normal(out.size(), batch, rng);
  return d;
}

double flops(const Layer& l) {
  const ops::ImageShape out = ops::conv2d_output_shape(l.in, l.kernels, same);
  const double K = static_cast<double>(l.kernels), Q = static_cast<double>(l.in.channels * 9),
               P = static_cast<double>(out.height * out.width);
  return 3.0 * 2.0 * K * Q * P * static_cast<double>(batch);
}

template <class Forward, class Backward>
void add(const Layer& l, const std::string& path, int threads, Forward forward, Backward backward) {
  const std::string name = "conv/" + l.name + "/" + path + "/batch:" + std::to_string(batch) +
                           "/threads:" + std::to_string(threads);
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    bench::use_threads(state, threads);
    const Data d = draw(l);
    for (auto _ : state) {
      const arma::mat Y = forward(d.X, l.in, d.W, d.b, same);
      const ops::Conv2dGrads g = backward(d.dY, d.X, l.in, d.W, same);
      benchmark::DoNotOptimize(Y.memptr());
      benchmark::DoNotOptimize(g.dX.memptr());
      benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
    state.counters["FLOPS"] = bench::flop_rate(flops(l));
  })->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(path == "reference" ? 0.5 : 0.3);
}

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  const bool quick = bench::take_flag(argc, argv, "--quick");
  const std::vector<int> counts =
      quick ? std::vector<int>{fast::blas::available_threads()} : bench::thread_counts(fast::blas::available_threads());
  for (const Layer& l : layers) {
    if (!quick) add(l, "reference", 1, ops::conv2d_forward, ops::conv2d_backward);
    for (const int threads : counts) add(l, "fast", threads, fast::conv2d_forward, fast::conv2d_backward);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
