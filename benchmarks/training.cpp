// One training step, timed: forward, softmax cross-entropy, backward, momentum SGD update, of
// report 002's 784-100-100-10 and report 000's 784-200-150-100-50-25-10-10 ReLU networks at
// batch 1, 5, 32, 64, 256 and 1000, each on 1, 2, 4, 8, ... BLAS threads up to the machine's
// cores (bench::thread_counts). Counters: samples/s, the GFLOP/s reached (the FLOPs the step
// needs: every product but the first layer's input gradient, see common.hpp), the thread count,
// and the count the thread policy picks (gradlab/fast/blas.hpp). bench-plot sets the policy's
// count beside the best one measured.
//
// "halves" times the two halves of a step in the same iterations, at the thread count the policy
// picks: counters "forward_s" (net.forward_borrowed + loss.forward) and "backward_s"
// (loss.backward + net.backward, every dX included), in seconds per step. Their ratio is the
// backward/forward cost (about 2 in theory: dW and dX each cost a forward's product), both
// halves timed alike through any slower phase of a shared machine.
//
// "parts" times the step of 784-100-100-10 piece by piece (each layer's forward and backward, the
// loss's forward and backward together, the update), at the policy's thread count: counters
// "part:<index>:<layer>:forward|backward", "part:loss", "part:update", in seconds per step.
// bench-plot sets each Linear layer's time beside its products' time alone (bench-dgemm): what
// a step spends beyond the arithmetic, and where.
//
// "bound" (batch 5 and up) runs the step twice (the first untimed: it brings the step's data
// back into the caches after the products, so that the timed step follows a step, as in the
// "train" rows) and then,
// in the same iteration, each of its products alone twice (on operands of their own,
// bench::ProductCall), at the policy's thread count. Counters, in seconds per step: "step_s",
// the second step; "products_s", the second calls (operands in cache, as bench-dgemm times
// them): the step's FLOP-bound time; "products_first_s", the first calls. step_s / products_s is
// the step's multiple of its FLOP-bound time with both measured side by side, so that a slower
// phase of a shared machine weighs on both alike (bench-dgemm's rates, measured minutes apart,
// serve when this family is missing).
//
// The step is the training loop's: Sequential::backward_and_update, which leaves out the first
// layer's input gradient dX = W^T dY (the data need none), as PyTorch does, and updates each
// layer's parameters as soon as its backward has run (at batch 1 a Linear layer's dW is never
// stored: fast::heavy_ball_outer_step). "train_apart" times the step with the backward and the
// update apart (Sequential::backward_parameters, then SGD::step), the same numbers bit for bit:
// what the fusion buys. "train_input_grad" times the step with Sequential::backward, which
// computes the first dX, at the policy's thread count: the difference is what that one product
// costs.
//
// "memory" (batch 1) times the step and, in the same iterations, a pass that moves the bytes a
// per-sample step cannot avoid: 40 P bytes (the forward reads the P weights; the fused update
// reads and writes them and their velocity), as fast::heavy_ball_step over three arrays of P
// numbers of its own. Counters "step_s", "memory_s" and "bytes": step_s / memory_s is how close
// the step is to that limit.
//
// "reference" times the same step written with the reference code alone, at the policy's
// thread count: ops::affine_forward, ops::relu_forward, ops::softmax_cross_entropy_forward and their
// backward functions, every layer's dX included (ops has no parameters-only backward), and
// optim::heavy_ball_step. The "train" rows over these are what the fast path (fast/kernels.hpp,
// the borrowed batch, the skipped first dX, the fused update) buys.
//
//   ./build/bin/bench-training [--quick] [--threads=1,2,3,4] [Google Benchmark options]
// --threads: the thread counts of the "train" rows instead of 1, 2, 4, ... (each at most the
// cores); the policy's count is timed in any case.
#include "common.hpp"

#include "gradlab/fast/kernels.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/optim/sgd.hpp"

#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>

namespace {

using namespace gradlab;
using gradlab::bench::Batch;

struct Step {
  nn::Sequential net;
  nn::CrossEntropyLoss loss;
  std::unique_ptr<optim::SGD> sgd;
  Batch batch;

  Step(const std::vector<arma::uword>& sizes, arma::uword B)
      : net(bench::relu_mlp(sizes)), batch(bench::random_batch(sizes.front(), sizes.back(), B)) {
    sgd = std::make_unique<optim::SGD>(net.parameters(), optim::SGDOptions{0.01, 0.9, false, 0.0});
  }

  // The step as the training loop takes it (train/trainer.cpp: the first layer keeps a
  // reference to the batch, as PyTorch's autograd does; each layer's parameters are updated as
  // soon as its backward has run, Sequential::backward_and_update). Backward::apart: the backward
  // (Sequential::backward_parameters), then SGD::step; Backward::input_gradient: the same with
  // Sequential::backward, which also computes dL/dX.
  enum class Backward { fused, apart, input_gradient };
  double operator()(Backward backward = Backward::fused) {
    const double L = loss.forward(net.forward_borrowed(batch.X), batch.labels);
    if (backward == Backward::fused) {
      net.backward_and_update(loss.backward(), *sgd);
      return L;
    }
    if (backward == Backward::input_gradient)
      benchmark::DoNotOptimize(net.backward(loss.backward()));
    else
      net.backward_parameters(loss.backward());
    sgd->step();
    return L;
  }
};

// The same step from the reference code alone, on the same weights and batch: the Linear
// layers' W and b, the ReLUs between them, softmax cross-entropy, momentum SGD (mu 0.9).
struct ReferenceStep {
  std::vector<arma::mat> W, dW, vW;
  std::vector<arma::vec> b, db;
  std::vector<arma::mat> vb;
  Batch batch;

  ReferenceStep(const std::vector<arma::uword>& sizes, arma::uword B)
      : batch(bench::random_batch(sizes.front(), sizes.back(), B)) {
    nn::Sequential net = bench::relu_mlp(sizes);
    const std::vector<Parameter> params = net.parameters();  // W, b of each Linear in turn
    for (std::size_t k = 0; k < params.size(); k += 2) {
      W.push_back(*params[k].value);
      b.push_back(arma::vec(*params[k + 1].value));
      vW.push_back(arma::zeros(arma::size(W.back())));
      vb.push_back(arma::zeros(b.back().n_elem, 1));
    }
    dW.resize(W.size());
    db.resize(W.size());
  }

  double operator()() {
    const std::size_t layers = W.size();
    std::vector<arma::mat> A{batch.X}, Z;  // A_0 = X; Z_l = W_l A_l + b_l; A_{l+1} = relu(Z_l)
    for (std::size_t l = 0; l < layers; ++l) {
      Z.push_back(ops::affine_forward(W[l], b[l], A[l]));
      if (l + 1 < layers) A.push_back(ops::relu_forward(Z[l]));
    }
    const ops::SoftmaxCrossEntropy loss = ops::softmax_cross_entropy_forward(Z.back(), batch.labels);
    arma::mat dZ = ops::softmax_cross_entropy_backward(loss.probs, batch.labels);
    for (std::size_t l = layers; l-- > 0;) {
      ops::AffineGrads g = ops::affine_backward(dZ, W[l], A[l]);
      dW[l] = std::move(g.dW);
      db[l] = std::move(g.db);
      if (l > 0) dZ = ops::relu_backward(g.dX, Z[l - 1]);
    }
    for (std::size_t l = 0; l < layers; ++l) {
      optim::heavy_ball_step(vW[l], W[l], dW[l], 0.9, 0.01);
      optim::heavy_ball_step(vb[l], b[l], db[l], 0.9, 0.01);
    }
    return loss.loss;
  }
};

// An iteration split into timed pieces: start() at its beginning, then lap(total) after each
// piece, which adds the time since the last lap to total.
class Laps {
 public:
  void start() { last_ = Clock::now(); }
  void lap(double& total) {
    const Clock::time_point now = Clock::now();
    total += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_;
};

// A total over every iteration as a counter of seconds per step.
benchmark::Counter per_step(double total) {
  return benchmark::Counter(total, benchmark::Counter::kAvgIterations);
}

void train_step(benchmark::State& state, std::vector<arma::uword> sizes, arma::uword B,
                int threads, Step::Backward backward) {
  bench::use_threads(state, threads);
  Step step(sizes, B);
  for (auto _ : state) {
    const double L = step(backward);
    benchmark::DoNotOptimize(L);
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(B), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["FLOPS"] = bench::flop_rate(bench::step_flops(sizes, B));
  state.counters["batch"] = static_cast<double>(B);
  state.counters["policy_threads"] = bench::policy_threads(sizes, B);
  state.counters["P"] = bench::parameter_count(sizes);
}

void reference_step(benchmark::State& state, std::vector<arma::uword> sizes, arma::uword B,
                    int threads) {
  bench::use_threads(state, threads);
  ReferenceStep step(sizes, B);
  for (auto _ : state) {
    const double L = step();
    benchmark::DoNotOptimize(L);
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(B), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["batch"] = static_cast<double>(B);
}

void step_parts(benchmark::State& state, std::vector<arma::uword> sizes, arma::uword B,
                int threads) {
  bench::use_threads(state, threads);
  Step step(sizes, B);
  nn::Sequential& net = step.net;
  const std::size_t L = net.size();
  std::vector<double> forward(L, 0.0), backward(L, 0.0);
  double loss = 0.0, update = 0.0;
  Laps laps;
  // Sequential::forward_borrowed and backward_parameters, one layer at a time (the first layer
  // is a Linear: it has parameters, so it runs backward_parameters)
  for (auto _ : state) {
    laps.start();
    arma::mat h = net.layer(0).forward_borrowed(step.batch.X);
    laps.lap(forward[0]);
    for (std::size_t k = 1; k < L; ++k) {
      h = net.layer(k).forward(std::move(h));
      laps.lap(forward[k]);
    }
    benchmark::DoNotOptimize(step.loss.forward(h, step.batch.labels));
    arma::mat d = step.loss.backward();
    laps.lap(loss);
    for (std::size_t k = L - 1; k > 0; --k) {
      d = net.layer(k).backward(d);
      laps.lap(backward[k]);
    }
    net.layer(0).backward_parameters(d);
    laps.lap(backward[0]);
    step.sgd->step();
    laps.lap(update);
  }
  for (std::size_t k = 0; k < L; ++k) {
    const std::string part = "part:" + std::to_string(k) + ":" + net.layer(k).name();
    state.counters[part + ":forward"] = per_step(forward[k]);
    state.counters[part + ":backward"] = per_step(backward[k]);
  }
  state.counters["part:loss"] = per_step(loss);
  state.counters["part:update"] = per_step(update);
  state.counters["batch"] = static_cast<double>(B);
}

void step_and_bound(benchmark::State& state, std::vector<arma::uword> sizes, arma::uword B,
                    int threads) {
  bench::use_threads(state, threads);
  Step step(sizes, B);
  std::vector<bench::ProductCall> products;
  for (const bench::Product& p : bench::step_products(sizes, B, false)) products.emplace_back(p);
  Laps laps;
  double step_s = 0.0, first_s = 0.0, again_s = 0.0;
  for (auto _ : state) {
    // The products below work on operands of their own and push the step's data out of the
    // caches: a first step, untimed, brings it back, so the timed one follows a step, as in the
    // training loop (and in the "train" rows).
    benchmark::DoNotOptimize(step());
    laps.start();
    benchmark::DoNotOptimize(step());
    laps.lap(step_s);
    for (bench::ProductCall& product : products) {
      product();  // its own operands, last touched an iteration ago: out of cache after the steps
      benchmark::ClobberMemory();
      laps.lap(first_s);
      product();  // at once again, as bench-dgemm times it
      benchmark::ClobberMemory();
      laps.lap(again_s);
    }
  }
  state.counters["step_s"] = per_step(step_s);
  state.counters["products_s"] = per_step(again_s);
  state.counters["products_first_s"] = per_step(first_s);
  state.counters["batch"] = static_cast<double>(B);
}

// The step beside the bytes it cannot avoid moving (the "memory" family above): three arrays of
// P numbers of the pass's own, the same bytes in the same mix (three read, two written) as the
// step's forward and fused update, from the same level of the caches (arrays of the step's size).
void step_and_memory(benchmark::State& state, std::vector<arma::uword> sizes, arma::uword B,
                     int threads) {
  bench::use_threads(state, threads);
  Step step(sizes, B);
  const arma::uword P = static_cast<arma::uword>(bench::parameter_count(sizes));
  arma::mat v(P, 1, arma::fill::value(0.5)), theta(P, 1, arma::fill::value(1.0)),
      g(P, 1, arma::fill::value(0.25));
  Laps laps;
  double step_s = 0.0, memory_s = 0.0;
  for (auto _ : state) {
    laps.start();
    benchmark::DoNotOptimize(step());
    laps.lap(step_s);
    fast::heavy_ball_step(v, theta, g, 0.5, 1e-9);
    benchmark::ClobberMemory();
    laps.lap(memory_s);
  }
  state.counters["step_s"] = per_step(step_s);
  state.counters["memory_s"] = per_step(memory_s);
  state.counters["bytes"] = 40.0 * static_cast<double>(P);
  state.counters["batch"] = static_cast<double>(B);
}

void halves(benchmark::State& state, std::vector<arma::uword> sizes, arma::uword B, int threads) {
  bench::use_threads(state, threads);
  Step step(sizes, B);
  Laps laps;
  double forward_s = 0.0, backward_s = 0.0;
  for (auto _ : state) {
    laps.start();
    benchmark::DoNotOptimize(
        step.loss.forward(step.net.forward_borrowed(step.batch.X), step.batch.labels));
    laps.lap(forward_s);
    step.net.backward(step.loss.backward());
    benchmark::ClobberMemory();
    laps.lap(backward_s);
  }
  state.counters["forward_s"] = per_step(forward_s);
  state.counters["backward_s"] = per_step(backward_s);
  state.counters["batch"] = static_cast<double>(B);
}

// Registers "<family>/<network>/batch:<B>/threads:<threads>": fn(state, sizes, B, threads,
// extra...), timed on the wall clock.
template <class Fn, class... Extra>
void add(const std::string& family, Fn fn, const std::vector<arma::uword>& sizes, arma::uword B,
         int threads, double min_time, Extra... extra) {
  const std::string name = family + "/" + bench::arch_name(sizes) + "/batch:" +
                           std::to_string(B) + "/threads:" + std::to_string(threads);
  benchmark::RegisterBenchmark(name.c_str(), fn, sizes, B, threads, extra...)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond)
      ->MinTime(min_time);
}

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  const bool quick = bench::take_flag(argc, argv, "--quick");
  const int most = fast::blas::available_threads();
  std::vector<int> sweep = bench::thread_counts(most);
  if (const std::string list = bench::take_option(argc, argv, "--threads"); !list.empty()) {
    try {
      sweep = bench::parse_counts(list, most);
    } catch (const std::invalid_argument& e) {
      std::cerr << "bench-training: --threads: " << e.what() << '\n';
      return 2;
    }
  }
  fast::keep_freed_memory();  // as train::fit does: no page faults on the blocks a step frees
  const double step_time = quick ? 0.05 : 0.3, half_time = quick ? 0.05 : 0.2;  // min seconds
  for (const auto* sizes : {&bench::mlp_two_hidden, &bench::mlp_six_hidden}) {
    for (arma::uword B : bench::batch_sizes) {
      if (quick && B != 1 && B != 64 && B != 256) continue;
      const int threads = bench::policy_threads(*sizes, B);
      std::set<int> counts(sweep.begin(), sweep.end());
      counts.insert(threads);  // the policy's own count is always timed
      for (int n : counts) add("train", train_step, *sizes, B, n, step_time, Step::Backward::fused);
      add("train_apart", train_step, *sizes, B, threads, step_time, Step::Backward::apart);
      add("reference", reference_step, *sizes, B, threads, step_time);
      if (sizes == &bench::mlp_two_hidden)
        add("train_input_grad", train_step, *sizes, B, threads, step_time,
            Step::Backward::input_gradient);
      if (B == 1) add("memory", step_and_memory, *sizes, B, threads, step_time);
      if (sizes == &bench::mlp_two_hidden && B >= 64)
        add("parts", step_parts, *sizes, B, threads, step_time);
      // at batch 1 the fused update makes no dW product: "memory" bounds that step instead
      if (B > 1) add("bound", step_and_bound, *sizes, B, threads, step_time);
      add("halves", halves, *sizes, B, threads, half_time);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
