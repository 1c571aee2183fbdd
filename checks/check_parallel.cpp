// Elementwise loops on the BLAS's threads (gradlab/fast/parallel.hpp): the build loads OpenBLAS's
// OpenMP build, the loops really run on two threads when the policy gives the products two, every
// item is done once, and the loops give the same numbers on one thread as on two.
#include <catch2/catch.hpp>

#include "gradlab/fast/blas.hpp"
#include "gradlab/fast/kernels.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/fast/parallel.hpp"
#include "gradlab/random.hpp"
#include "support.hpp"

#include <omp.h>

#include <algorithm>
#include <vector>

using namespace gradlab;
using gradlab::checks::two_threads_here;

TEST_CASE("parallel: the loops share the BLAS's OpenMP threads, from parallel_numbers on",
          "[parallel][blas]") {
#ifdef GRADLAB_OPENBLAS_OPENMP_BUILD
  // CMake linked OpenBLAS's OpenMP build: the one loaded must be it, not the system's default
  REQUIRE(fast::blas::shares_openmp_threads());
#endif
  if (!fast::blas::shares_openmp_threads() || !two_threads_here()) {
    REQUIRE(fast::parallel::threads_for(1e9) == 1);
    WARN("not checked: the BLAS is not OpenBLAS's OpenMP build, or there is one core");
    return;
  }
  fast::blas::ScopedThreads two(2);
  REQUIRE(fast::parallel::threads_for(fast::parallel::parallel_numbers) == 2);
  REQUIRE(fast::parallel::threads_for(fast::parallel::parallel_numbers - 1) == 1);
  fast::blas::ScopedThreads one(1);
  REQUIRE(fast::parallel::threads_for(1e9) == 1);  // the products' count, whatever the size
}

TEST_CASE("parallel: for_slices does every item once, in one slice per thread",
          "[parallel]") {
  const int threads = two_threads_here() ? 2 : 1;
  fast::blas::ScopedThreads scoped(threads);
  for (const arma::uword items : {0, 1, 2, 3, 7, 1000}) {
    CAPTURE(items);
    std::vector<int> done(items, 0);
    std::vector<std::pair<arma::uword, arma::uword>> slices(static_cast<std::size_t>(threads));
    std::vector<int> ran(static_cast<std::size_t>(threads), 0);
    fast::parallel::for_slices(items, fast::parallel::parallel_numbers, [&](arma::uword begin, arma::uword end) {
      const auto t = static_cast<std::size_t>(omp_get_thread_num());
      ++ran[t];
      slices[t] = {begin, end};
      for (arma::uword k = begin; k < end; ++k) ++done[k];
    });
    REQUIRE(std::all_of(done.begin(), done.end(), [](int d) { return d == 1; }));
    const int expected_threads = fast::parallel::threads_for(fast::parallel::parallel_numbers);
    // every thread the policy gave ran one slice, and the slices follow each other in order
    for (int t = 0; t < expected_threads; ++t) REQUIRE(ran[static_cast<std::size_t>(t)] == 1);
    if (expected_threads == 2) {
      REQUIRE(slices[0].first == 0);
      REQUIRE(slices[0].second == slices[1].first);
      REQUIRE(slices[1].second == items);
    }
  }
  // below parallel_numbers: one call for the whole range, on the calling thread
  int calls = 0;
  fast::parallel::for_slices(1000, fast::parallel::parallel_numbers - 1, [&](arma::uword begin, arma::uword end) {
    ++calls;
    REQUIRE(begin == 0);
    REQUIRE(end == 1000);
  });
  REQUIRE(calls == 1);
}

TEST_CASE("parallel: the step's loops give the same numbers on one thread and on two",
          "[parallel][relu][affine][sgd]") {
  if (!two_threads_here()) {
    WARN("not checked: one core, or the BLAS's threads cannot be set");
    return;
  }
  // A 100 x 256 layer output and 784 x 100 weights, as in a 784-100-100-10 step at batch 256:
  // every loop has more than parallel_numbers numbers. (The BLAS's products themselves may round
  // differently on two threads; W = I makes W X exact, so affine_forward's numbers are its bias
  // loop's alone.)
  Rng rng(11);
  const arma::mat Z = random_normal(100, 256, rng), dY = random_normal(100, 256, rng);
  const arma::vec b = random_normal(100, 1, rng);
  const arma::mat I = arma::eye(100, 100);
  const arma::mat W0 = random_normal(100, 784, rng), G = random_normal(100, 784, rng);
  struct Results {
    arma::mat relu, relu_grad, affine, W;
    arma::vec db;
  };
  auto run = [&](int threads) {
    fast::blas::ScopedThreads scoped(threads);
    Results r;
    r.relu = fast::relu_forward(Z);
    r.relu_grad = fast::relu_backward(dY, Z);
    r.affine = fast::affine_forward(I, b, Z);
    arma::mat dW;
    fast::affine_backward_parameters(dY, Z, dW, r.db);
    r.W = W0;
    arma::mat g = G;
    optim::SGD sgd({{"W", &r.W, &g}}, {0.05, 0.9, false, 0.0});
    for (int step = 0; step < 3; ++step) sgd.step();  // the heavy-ball update, velocity and all
    return r;
  };
  const Results one = run(1), two = run(2);
  auto same = [](const arma::mat& a, const arma::mat& c) {
    return a.n_rows == c.n_rows && a.n_cols == c.n_cols &&
           std::equal(a.begin(), a.end(), c.begin(), c.end());
  };
  REQUIRE(same(one.relu, two.relu));
  REQUIRE(same(one.relu_grad, two.relu_grad));
  REQUIRE(same(one.affine, Z + arma::repmat(b, 1, 256)));  // Z + b, column by column
  REQUIRE(same(one.affine, two.affine));
  REQUIRE(same(one.db, arma::sum(dY, 1)));  // the same order of additions as arma::sum
  REQUIRE(same(one.db, two.db));
  REQUIRE(same(one.W, two.W));
}
