// Report 004, Q12: the naive gradient (one extra forward pass per parameter) costs O(P^2), back-
// propagation O(P). Timed on ReLU MLPs whose parameter count P spans two decades, two ways, at
// batch 16 and on one BLAS thread:
//   depth sweep: width 16 (every layer 16 -> 16), depth 1 .. 100 Linear layers;
//   width sweep: report 004's network, 2 inputs -> w hidden units -> 2 outputs, w = 100 .. 10,000;
//   cnn sweep: a VGG-style block on 1x6x6 images, nn::make_cnn's "cK-cK-p" (two 3x3 convolutions
//   of K kernels, padding 1, and a 2x2 max pool) then 2 outputs, K = 1 .. 16. Every weight of a
//   convolution is used at all 36 positions (weight sharing), so a pass costs 36 multiply-adds
//   per weight of the convolutions: still proportional to P, with a larger constant.
// Each sample costs every weight one multiply-add, so a pass's arithmetic grows like P. Both
// sweeps keep every other part of a pass growing like P too: the depth sweep repeats one layer,
// and in the width sweep the bias, the ReLU and the hidden activations (B w numbers) grow with
// w as P = 5w + 2 does. (A square net w -> w -> w is a poorer test: there P = 2(w^2 + w) while
// the bias and activation work is B w, of order sqrt(P), and the BLAS runs its small products
// slower per multiply-add, so its fit bends below a slope of 1: docs/studies/performance.md has
// the measurements.)
// The widest net (P = 50,002) takes 100,004 forward passes for the naive gradient, about 15 s;
// bench-plot also fits the top decade of P alone. The scalar differentiated is the checker's
// layer-check scalar s = <G, net(X)> for a fixed random G (so dL/dY = G): a loss would add a
// fixed cost per pass that has nothing to do with P (gradlab's losses check every label on every
// call; the training benchmark has them). For each network:
//   forward          s = <G, net.forward(X)>
//   backward         net.backward(G) (after one forward)
//   backprop         forward + backward: the whole gradient
//   naive_central    dL/dtheta_i = (L(theta + h e_i) - L(theta - h e_i)) / 2h: 2P forward passes
//   naive_forward    dL/dtheta_i = (L(theta + h e_i) - L(theta)) / h: P + 1 forward passes
// Each family reports Google Benchmark's complexity fit (SetComplexityN(P): the BigO it picks and
// the RMS of the fit); bench-plot fits the log-log slopes and compares naive / backprop with the
// theory 2P / 3 (2P forward passes against one forward and one backward, a backward costing
// two forwards: dW and dX are each a product as large as the forward's).
//
//   ./build/bin/bench-complexity [--quick] [Google Benchmark options]
//   --quick: the depth sweep only, depth 1 .. 32 (a few seconds, for ./workbench run).
#include "common.hpp"

#include "gradlab/nn/cnn.hpp"

#include <cmath>

namespace {

using namespace gradlab;

// A network of a sweep, its input and output widths.
struct Net {
  nn::Sequential net;
  arma::uword in, out;
};

Net depth_net(arma::uword depth) {
  return {bench::relu_mlp(std::vector<arma::uword>(depth + 1, 16)), 16, 16};
}

Net width_net(arma::uword width) { return {bench::relu_mlp({2, width, 2}), 2, 2}; }

Net cnn_net(arma::uword kernels) {
  Rng rng(1);
  const std::string k = std::to_string(kernels);
  return {nn::make_cnn({1, 6, 6}, "c" + k + "-c" + k + "-p", 2, "he_normal", rng), 36, 2};
}

struct Problem {
  nn::Sequential net;
  arma::mat X, G;
  std::vector<gradlab::Parameter> params;

  Problem(Net n, arma::uword batch) : net(std::move(n.net)) {
    Rng rng(7);
    X = random_normal(n.in, batch, rng);
    G = random_normal(n.out, batch, rng);
    params = net.parameters();
  }

  double loss_value() { return arma::accu(G % net.forward(X)); }  // s = <G, net(X)>
  void backward() { net.backward(G); }                          // ds/dY = G
};

// The naive gradient of every parameter, into `gradient` (one entry per parameter, in order).
void naive_gradient(Problem& p, bool central, arma::vec& gradient) {
  arma::uword k = 0;
  const double L0 = central ? 0.0 : p.loss_value();
  for (const gradlab::Parameter& param : p.params) {
    arma::mat& theta = *param.value;
    for (arma::uword i = 0; i < theta.n_elem; ++i, ++k) {
      const double x0 = theta(i);
      const double h = (central ? 1e-5 : 1e-8) * std::max(1.0, std::abs(x0));
      theta(i) = x0 + h;
      const double up = theta(i);
      const double Lp = p.loss_value();
      if (central) {
        theta(i) = x0 - h;
        const double down = theta(i);
        const double Lm = p.loss_value();
        gradient(k) = (Lp - Lm) / (up - down);
      } else {
        gradient(k) = (Lp - L0) / (up - x0);
      }
      theta(i) = x0;
    }
  }
}

enum class Method { forward, backward, backprop, naive_central, naive_forward };

const char* method_name(Method m) {
  switch (m) {
    case Method::forward: return "forward";
    case Method::backward: return "backward";
    case Method::backprop: return "backprop";
    case Method::naive_central: return "naive_central";
    case Method::naive_forward: return "naive_forward";
  }
  return "?";
}

void run(benchmark::State& state, Net (*make)(arma::uword), arma::uword batch, Method method) {
  bench::use_threads(state, 1);
  Problem p(make(static_cast<arma::uword>(state.range(0))), batch);
  const double P = static_cast<double>(p.net.parameter_count());
  arma::vec gradient(static_cast<arma::uword>(P));
  switch (method) {
    case Method::forward:
      for (auto _ : state) benchmark::DoNotOptimize(p.loss_value());
      break;
    case Method::backward:
      p.loss_value();
      for (auto _ : state) {
        p.backward();
        benchmark::ClobberMemory();
      }
      break;
    case Method::backprop:
      for (auto _ : state) {
        benchmark::DoNotOptimize(p.loss_value());
        p.backward();
        benchmark::ClobberMemory();
      }
      break;
    case Method::naive_central:
    case Method::naive_forward: {
      const bool central = method == Method::naive_central;
      for (auto _ : state) {
        naive_gradient(p, central, gradient);
        benchmark::DoNotOptimize(gradient.memptr());
      }
      break;
    }
  }
  state.SetComplexityN(static_cast<benchmark::IterationCount>(P));
  state.counters["P"] = P;
  state.counters["batch"] = static_cast<double>(batch);
  state.counters["layers"] = static_cast<double>(p.net.size());
}

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  const bool quick = bench::take_flag(argc, argv, "--quick");
  fast::keep_freed_memory();  // as train::fit does: no page faults on the blocks a step frees
  struct Sweep {
    const char* name;
    Net (*make)(arma::uword);
    arma::uword batch;
    std::vector<std::int64_t> args;
  };
  std::vector<Sweep> sweeps{{"depth", depth_net, 16, {1, 2, 3, 5, 8, 13, 22, 36, 60, 100}},
                            {"width", width_net, 16,
                             {100, 178, 316, 562, 1000, 1778, 3162, 5623, 10000}},
                            {"cnn", cnn_net, 16, {1, 2, 3, 4, 6, 8, 11, 16}}};
  if (quick) sweeps = {{"depth", depth_net, 16, {1, 2, 4, 8, 16, 32}}};
  for (const Sweep& sweep : sweeps) {
    for (Method m : {Method::forward, Method::backward, Method::backprop, Method::naive_central,
                     Method::naive_forward}) {
      const bool naive = m == Method::naive_central || m == Method::naive_forward;
      const std::string name = std::string("complexity/") + sweep.name + "/" + method_name(m);
      auto* b = benchmark::RegisterBenchmark(name.c_str(), run, sweep.make, sweep.batch, m);
      for (std::int64_t a : sweep.args) b->Arg(a);
      b->ArgName(sweep.name)
          ->Complexity(benchmark::oAuto)
          ->UseRealTime()
          ->Unit(naive ? benchmark::kMillisecond : benchmark::kMicrosecond)
          ->MinTime(naive ? (quick ? 0.02 : 0.2) : 0.1);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
