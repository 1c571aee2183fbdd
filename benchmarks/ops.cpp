// Forward and backward of every op in gradlab::ops, at the shapes the labs use:
//   mnist  the MNIST labs' 784-100-10 network at batch 64: affine 784 -> 100, activations,
//          batch norm and dropout on 100 x 64, softmaxes and losses on 10 x 64, the L2 penalty
//          on W 100 x 784;
//   disk   report 001's disk lab, 2-25-25-25-2 at batch 5: affine 25 -> 25, activations on
//          25 x 5, losses on 2 x 5, the L2 penalty on W 25 x 25.
// Counters: items/s (the elements of the op's input: X, the logits, or W) and FLOPS, from the
// FLOPs of the equation each op implements, per element (a transcendental function counts as
// one): written beside each op below. One BLAS thread.
//
//   ./build/bin/bench-ops [--quick] [Google Benchmark options]
#include "common.hpp"

#include "gradlab/labels.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/l2_penalty.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"

#include <functional>

namespace {

using namespace gradlab;

struct Inputs {
  arma::mat X, W, dY, targets;
  arma::vec b, gamma, beta;
  arma::uvec labels;
};

// Registers one timed call; `setup` builds what it reads once, outside the timing.
void add(const std::string& name, double items, double flops,
         std::function<std::function<void()>()> setup) {
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    bench::use_threads(state, 1);
    std::function<void()> call = setup();
    for (auto _ : state) {
      call();
      benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items));
    state.counters["FLOPS"] = bench::flop_rate(flops);
    state.counters["elements"] = items;
  })->Unit(benchmark::kMicrosecond)->MinTime(0.1);
}

std::string shape(arma::uword r, arma::uword c) {
  return std::to_string(r) + "x" + std::to_string(c);
}

// Every op at one set of shapes: the input width D, hidden width M, classes C, batch B.
void add_all(const std::string& set, arma::uword D, arma::uword M, arma::uword C, arma::uword B) {
  const auto draw = [=] {
    Rng rng(3);
    auto in = std::make_shared<Inputs>();
    in->X = random_normal(D, B, rng);
    in->W = random_normal(M, D, rng);
    in->b = random_normal(M, 1, rng);
    in->dY = random_normal(M, B, rng);
    in->gamma = 1.0 + 0.1 * random_normal(M, 1, rng);
    in->beta = random_normal(M, 1, rng);
    in->labels = bench::random_batch(1, C, B, 5).labels;
    in->targets = one_hot(in->labels, C);
    return in;
  };
  const double MDB = static_cast<double>(M * D * B), MB = static_cast<double>(M * B),
               CB = static_cast<double>(C * B), DB = static_cast<double>(D * B);
  const std::string p = "ops/" + set + "/";

  // affine: Y = W X + b (2MDB + MB); dW = dY X^T, dX = W^T dY, db = row sums (4MDB + MB)
  const std::string affine = "affine/W:" + shape(M, D) + "/X:" + shape(D, B);
  add(p + affine + "/forward", DB, 2 * MDB + MB, [=] {
    auto in = draw();
    return std::function<void()>([in] { benchmark::DoNotOptimize(ops::affine_forward(in->W, in->b, in->X)); });
  });
  add(p + affine + "/backward", DB, 4 * MDB + MB, [=] {
    auto in = draw();
    return std::function<void()>([in] { benchmark::DoNotOptimize(ops::affine_backward(in->dY, in->W, in->X)); });
  });

  // Elementwise on the hidden activations, M x B (the input Z = the affine output's shape).
  const std::string act = "/Z:" + shape(M, B);
  struct Elementwise {
    const char* name;
    double forward_flops, backward_flops;  // per element
    arma::mat (*forward)(const arma::mat&);
    arma::mat (*backward)(const arma::mat&, const arma::mat&, const arma::mat&);  // dY, X, Y
  };
  const Elementwise elementwise[] = {
      // relu: max(x, 0) (1);  dY ⊙ 1[x > 0] (1)
      {"relu", 1, 1, [](const arma::mat& X) { return ops::relu_forward(X); },
       [](const arma::mat& dY, const arma::mat& X, const arma::mat&) { return ops::relu_backward(dY, X); }},
      // leaky_relu: x or slope x (2);  dY ⊙ (1 or slope) (2)
      {"leaky_relu", 2, 2, [](const arma::mat& X) { return ops::leaky_relu_forward(X); },
       [](const arma::mat& dY, const arma::mat& X, const arma::mat&) { return ops::leaky_relu_backward(dY, X); }},
      // tanh: tanh x (1);  dY ⊙ (1 - y)(1 + y) (4)
      {"tanh", 1, 4, [](const arma::mat& X) { return ops::tanh_forward(X); },
       [](const arma::mat& dY, const arma::mat&, const arma::mat& Y) { return ops::tanh_backward(dY, Y); }},
      // sigmoid: 1 / (1 + exp(-x)) (3);  dY ⊙ y ⊙ (1 - y) (3)
      {"sigmoid", 3, 3, [](const arma::mat& X) { return ops::sigmoid_forward(X); },
       [](const arma::mat& dY, const arma::mat&, const arma::mat& Y) { return ops::sigmoid_backward(dY, Y); }},
  };
  for (const Elementwise& e : elementwise) {
    add(p + e.name + act + "/forward", MB, e.forward_flops * MB, [=] {
      auto in = draw();
      auto Z = std::make_shared<arma::mat>(in->W * in->X);
      return std::function<void()>([Z, f = e.forward] { benchmark::DoNotOptimize(f(*Z)); });
    });
    add(p + e.name + act + "/backward", MB, e.backward_flops * MB, [=] {
      auto in = draw();
      auto Z = std::make_shared<arma::mat>(in->W * in->X);
      auto Y = std::make_shared<arma::mat>(e.forward(*Z));
      return std::function<void()>(
          [in, Z, Y, f = e.backward] { benchmark::DoNotOptimize(f(in->dY, *Z, *Y)); });
    });
  }

  // batchnorm (train): mean 1, var 3, x_hat 2, scale and shift 2 (8);  backward 10 per element
  if (B >= 2) {
    const std::string bn = "batchnorm/X:" + shape(M, B);
    add(p + bn + "/forward", MB, 8 * MB, [=] {
      auto in = draw();
      auto Z = std::make_shared<arma::mat>(in->W * in->X);
      return std::function<void()>([in, Z] { benchmark::DoNotOptimize(ops::batchnorm_forward(*Z, in->gamma, in->beta)); });
    });
    add(p + bn + "/backward", MB, 10 * MB, [=] {
      auto in = draw();
      auto f = std::make_shared<ops::BatchNormForward>(ops::batchnorm_forward(in->W * in->X, in->gamma, in->beta));
      return std::function<void()>([in, f] { benchmark::DoNotOptimize(ops::batchnorm_backward(in->dY, in->gamma, f->cache)); });
    });
  }

  // dropout p = 0.5: one uniform draw, compare, scale, multiply (3);  dY ⊙ mask (1)
  const std::string dropout = "dropout/X:" + shape(M, B);
  add(p + dropout + "/forward", MB, 3 * MB, [=] {
    auto in = draw();
    auto rng = std::make_shared<Rng>(9);
    return std::function<void()>([in, rng] { benchmark::DoNotOptimize(ops::dropout_forward(in->dY, 0.5, *rng)); });
  });
  add(p + dropout + "/backward", MB, MB, [=] {
    auto in = draw();
    Rng rng(9);
    auto mask = std::make_shared<arma::mat>(ops::dropout_forward(in->dY, 0.5, rng).mask);
    return std::function<void()>([in, mask] { benchmark::DoNotOptimize(ops::dropout_backward(in->dY, *mask)); });
  });

  // On the logits, C x B.
  const std::string logits = "/logits:" + shape(C, B);
  auto make_logits = [=] {
    auto in = draw();
    auto Z = std::make_shared<arma::mat>(arma::mat(in->W.rows(0, C - 1)) * in->X);
    return std::make_pair(in, Z);
  };
  // softmax: max 1, subtract 1, exp 1, sum 1, divide 1 (5);  s ⊙ (d - <s, d>) (4)
  add(p + "softmax" + logits + "/forward", CB, 5 * CB, [=] {
    auto [in, Z] = make_logits();
    return std::function<void()>([Z] { benchmark::DoNotOptimize(ops::softmax_forward(*Z)); });
  });
  add(p + "softmax" + logits + "/backward", CB, 4 * CB, [=] {
    auto [in, Z] = make_logits();
    auto S = std::make_shared<arma::mat>(ops::softmax_forward(*Z));
    auto D = std::make_shared<arma::mat>(in->dY.rows(0, C - 1));
    return std::function<void()>([S, D] { benchmark::DoNotOptimize(ops::softmax_backward(*D, *S)); });
  });
  // log_softmax: max, subtract, exp, sum, subtract (5);  dY - exp(y) ⊙ colsum(dY) (4)
  add(p + "log_softmax" + logits + "/forward", CB, 5 * CB, [=] {
    auto [in, Z] = make_logits();
    return std::function<void()>([Z] { benchmark::DoNotOptimize(ops::log_softmax_forward(*Z)); });
  });
  add(p + "log_softmax" + logits + "/backward", CB, 4 * CB, [=] {
    auto [in, Z] = make_logits();
    auto L = std::make_shared<arma::mat>(ops::log_softmax_forward(*Z));
    auto D = std::make_shared<arma::mat>(in->dY.rows(0, C - 1));
    return std::function<void()>([L, D] { benchmark::DoNotOptimize(ops::log_softmax_backward(*D, *L)); });
  });
  // softmax_cross_entropy: softmax (5) + the picked log-probability;  (probs - onehot) / B (2)
  add(p + "softmax_cross_entropy" + logits + "/forward", CB, 5 * CB, [=] {
    auto [in, Z] = make_logits();
    return std::function<void()>([in, Z] { benchmark::DoNotOptimize(ops::softmax_cross_entropy_forward(*Z, in->labels)); });
  });
  add(p + "softmax_cross_entropy" + logits + "/backward", CB, 2 * CB, [=] {
    auto [in, Z] = make_logits();
    auto probs = std::make_shared<arma::mat>(ops::softmax_forward(*Z));
    return std::function<void()>([in, probs] { benchmark::DoNotOptimize(ops::softmax_cross_entropy_backward(*probs, in->labels)); });
  });
  // cross_entropy on probabilities: log(p + eps), times t, sum (4);  -t / (p + eps) / B (3)
  add(p + "cross_entropy" + logits + "/forward", CB, 4 * CB, [=] {
    auto [in, Z] = make_logits();
    auto probs = std::make_shared<arma::mat>(ops::softmax_forward(*Z));
    return std::function<void()>([in, probs] { benchmark::DoNotOptimize(ops::cross_entropy_forward(*probs, in->targets)); });
  });
  add(p + "cross_entropy" + logits + "/backward", CB, 3 * CB, [=] {
    auto [in, Z] = make_logits();
    auto probs = std::make_shared<arma::mat>(ops::softmax_forward(*Z));
    return std::function<void()>([in, probs] { benchmark::DoNotOptimize(ops::cross_entropy_backward(*probs, in->targets)); });
  });
  // nll: pick and sum B values (1 per sample);  -onehot / B (1 per element)
  add(p + "nll" + logits + "/forward", CB, static_cast<double>(B), [=] {
    auto [in, Z] = make_logits();
    auto L = std::make_shared<arma::mat>(ops::log_softmax_forward(*Z));
    return std::function<void()>([in, L] { benchmark::DoNotOptimize(ops::nll_forward(*L, in->labels)); });
  });
  add(p + "nll" + logits + "/backward", CB, CB, [=] {
    auto [in, Z] = make_logits();
    auto L = std::make_shared<arma::mat>(ops::log_softmax_forward(*Z));
    return std::function<void()>([in, L] { benchmark::DoNotOptimize(ops::nll_backward(*L, in->labels)); });
  });
  // mse: subtract, square, sum (3);  2 (Y - t) / B (3)
  add(p + "mse" + logits + "/forward", CB, 3 * CB, [=] {
    auto [in, Z] = make_logits();
    return std::function<void()>([in, Z] { benchmark::DoNotOptimize(ops::mse_forward(*Z, in->targets)); });
  });
  add(p + "mse" + logits + "/backward", CB, 3 * CB, [=] {
    auto [in, Z] = make_logits();
    return std::function<void()>([in, Z] { benchmark::DoNotOptimize(ops::mse_backward(*Z, in->targets)); });
  });
  // l2_penalty on W: square, sum, scale (2);  lambda W (1)
  const std::string l2 = "l2_penalty/W:" + shape(M, D);
  add(p + l2 + "/forward", MDB / static_cast<double>(B), 2 * MDB / static_cast<double>(B), [=] {
    auto in = draw();
    return std::function<void()>([in] { benchmark::DoNotOptimize(ops::l2_penalty_forward(in->W, 1e-4)); });
  });
  add(p + l2 + "/backward", MDB / static_cast<double>(B), MDB / static_cast<double>(B), [=] {
    auto in = draw();
    return std::function<void()>([in] { benchmark::DoNotOptimize(ops::l2_penalty_backward(in->W, 1e-4)); });
  });
}

}  // namespace

int main(int argc, char** argv) {
  bench::start(argv);
  const bool quick = bench::take_flag(argc, argv, "--quick");
  add_all("mnist", 784, 100, 10, 64);
  if (!quick) add_all("disk", 25, 25, 2, 5);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
