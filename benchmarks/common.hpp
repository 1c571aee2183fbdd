#pragma once
// What the benchmark programs share: the networks and batches they time, the products (GEMMs)
// of a training step and their FLOP counts, and the options they add to Google Benchmark's.
// Header only: every benchmarks/*.cpp is a program of its own (bench-<name>).
#include "gradlab/fast/blas.hpp"
#include "gradlab/fast/memory.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/nn/sequential.hpp"
#include "gradlab/programs/blas.hpp"
#include "gradlab/random.hpp"

#include <armadillo>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::bench {

// The networks of the training and gradient-check benchmarks: report 002's 784-100-100-10 and
// report 000's six hidden layers (200, 150, 100, 50, 25, 10) with 10 outputs.
inline const std::vector<arma::uword> mlp_two_hidden{784, 100, 100, 10};
inline const std::vector<arma::uword> mlp_six_hidden{784, 200, 150, 100, 50, 25, 10, 10};
inline const std::vector<arma::uword> batch_sizes{1, 5, 32, 64, 256, 1000};

// "784-100-100-10"
inline std::string arch_name(const std::vector<arma::uword>& sizes) {
  std::string name;
  for (arma::uword s : sizes) name += (name.empty() ? "" : "-") + std::to_string(s);
  return name;
}

// A ReLU MLP (He-normal weights, zero biases) from a fixed seed.
inline nn::Sequential relu_mlp(const std::vector<arma::uword>& sizes, std::uint64_t seed = 1,
                               const std::string& activation = "relu") {
  Rng rng(seed);
  return nn::make_mlp(sizes, activation, false, 0.0, "he_normal", rng);
}

// The number of trainable numbers of an MLP: sum over layers of out (in + 1).
inline double parameter_count(const std::vector<arma::uword>& sizes) {
  double P = 0.0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
    P += static_cast<double>(sizes[l + 1]) * static_cast<double>(sizes[l] + 1);
  return P;
}

// A batch: X uniform in [0, 1) (like MNIST pixels), features x B, and labels in [0, classes).
struct Batch {
  arma::mat X;
  arma::uvec labels;
};

inline Batch random_batch(arma::uword features, arma::uword classes, arma::uword B,
                          std::uint64_t seed = 7) {
  Rng rng(seed);
  Batch b{random_uniform(features, B, rng), arma::uvec(B)};
  for (auto& l : b.labels)
    l = std::min(classes - 1, static_cast<arma::uword>(uniform01(rng) * static_cast<double>(classes)));
  return b;
}

// One product of a training step, C (M x N) = op(A) op(B) with K multiply-adds per entry.
// kind: "Y=WX" (forward), "dW=dYX'" and "dX=W'dY" (backward), as nn::Linear writes them.
struct Product {
  arma::uword M = 0, N = 0, K = 0;
  std::string kind;
  double multiply_adds() const {
    return static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
  }
  double flops() const { return 2.0 * multiply_adds(); }
  std::string name() const {
    return kind + " " + std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K);
  }
};

// One product with operands of its own (random, seed 11), computed as nn::Linear writes it:
//   Y=WX      C = A * B        A: W (M x K), B: X (K x N)
//   dW=dYX'   C = A * B.t()    A: dY (M x K), B: X (N x K)
//   dX=W'dY   C = A.t() * B    A: W (K x M), B: dY (K x N)
struct ProductCall {
  Product p;
  arma::mat A, B, C;
  explicit ProductCall(Product product) : p(std::move(product)) {
    Rng rng(11);
    const bool a_transposed = p.kind == "dX=W'dY", b_transposed = p.kind == "dW=dYX'";
    A = a_transposed ? random_normal(p.K, p.M, rng) : random_normal(p.M, p.K, rng);
    B = b_transposed ? random_normal(p.N, p.K, rng) : random_normal(p.K, p.N, rng);
  }
  void operator()() {
    if (p.kind == "Y=WX")
      C = A * B;
    else if (p.kind == "dW=dYX'")
      C = A * B.t();
    else
      C = A.t() * B;
  }
};

// The products a training step needs at batch B. The first layer's input gradient dX is not
// needed (nothing is trained below it) and is left out unless `first_input_gradient`: PyTorch
// skips it; gradlab's Sequential::backward computes it (it returns dL/dX).
inline std::vector<Product> step_products(const std::vector<arma::uword>& sizes, arma::uword B,
                                          bool first_input_gradient) {
  std::vector<Product> products;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    const arma::uword in = sizes[l], out = sizes[l + 1];
    products.push_back({out, B, in, "Y=WX"});       // Y = W X:    out x B, K = in
    products.push_back({out, in, B, "dW=dYX'"});    // dW = dY X^T: out x in, K = B
    if (l > 0 || first_input_gradient)
      products.push_back({in, B, out, "dX=W'dY"});  // dX = W^T dY: in x B, K = out
  }
  return products;
}

inline double step_flops(const std::vector<arma::uword>& sizes, arma::uword B,
                         bool first_input_gradient = false) {
  double flops = 0.0;
  for (const Product& p : step_products(sizes, B, first_input_gradient)) flops += p.flops();
  return flops;
}

// The forward pass's multiply-adds per sample (one pass through every Linear).
inline double forward_flops(const std::vector<arma::uword>& sizes, arma::uword B) {
  double flops = 0.0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
    flops += 2.0 * static_cast<double>(sizes[l]) * static_cast<double>(sizes[l + 1]) *
             static_cast<double>(B);
  return flops;
}

// The largest product of a step: what the thread policy (gradlab/fast/blas.hpp) looks at.
inline double largest_product(const std::vector<arma::uword>& sizes, arma::uword B) {
  double largest = 0.0;
  for (const Product& p : step_products(sizes, B, true))
    largest = std::max(largest, p.multiply_adds());
  return largest;
}

inline int policy_threads(const std::vector<arma::uword>& sizes, arma::uword B) {
  return fast::blas::threads_for(largest_product(sizes, B));
}

// The first call of every benchmark's main: the BLAS's kernels checked (and the program run
// again with better ones when they are generic: gradlab/programs/blas.hpp), and the BLAS in the
// context of the JSON and the console ("blas_library", "blas_version", "blas_config",
// "blas_core", "blas_core_chosen_by", "blas_threads", "blas_cores", ...).
inline void start(char** argv) {
  use_fast_blas_kernels(argv);
  const nlohmann::json report = blas_report();
  for (const auto& [key, value] : report.items())
    benchmark::AddCustomContext("blas_" + key,
                                value.is_string() ? value.get<std::string>() : value.dump());
}

// The thread counts a sweep covers on `cores` cores: 1, 2, 4, 8, ... below it, and `cores`.
inline std::vector<int> thread_counts(int cores) {
  std::vector<int> counts;
  for (int n = 1; n < cores; n *= 2) counts.push_back(n);
  counts.push_back(std::max(1, cores));
  return counts;
}

// Removes `flag` from argv (before Google Benchmark parses it); true when it was there.
inline bool take_flag(int& argc, char** argv, const char* flag) {
  bool found = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0)
      found = true;
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  return found;
}

// Removes "--NAME=VALUE" (or "--NAME VALUE") from argv (before Google Benchmark parses it) and
// returns VALUE; empty when it was not there.
inline std::string take_option(int& argc, char** argv, const char* name) {
  const std::size_t length = std::strlen(name);
  std::string value;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, length) == 0 && argv[i][length] == '=')
      value = argv[i] + length + 1;
    else if (std::strcmp(argv[i], name) == 0 && i + 1 < argc)
      value = argv[++i];
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  return value;
}

// "1,2,4" -> {1, 2, 4}: thread counts, each from 1 to `cores`. Throws std::invalid_argument
// naming the entry at fault.
inline std::vector<int> parse_counts(const std::string& list, int cores) {
  std::vector<int> counts;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, end - start);
    std::size_t used = 0;
    int n = 0;
    try {
      n = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || n < 1 || n > cores)
      throw std::invalid_argument("'" + item + "' in '" + list +
                                  "' is not a thread count from 1 to " + std::to_string(cores));
    counts.push_back(n);
    start = end + 1;
  }
  return counts;
}

// Sets the BLAS threads for one benchmark run and records them as a counter.
inline void use_threads(benchmark::State& state, int n) {
  fast::blas::set_threads(n);
  state.counters["threads"] = n;
}

// A flop rate counter (FLOP per second; the JSON holds the raw number, the console "G/s").
inline benchmark::Counter flop_rate(double flops_per_iteration) {
  return benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace gradlab::bench
