#pragma once
// The BLAS's thread count, and gradlab's policy for it by size.
//
// Armadillo hands every matrix product to the BLAS it was built against; here that is
// OpenBLAS, which runs a product on all cores once it is big enough by its own rule (for a
// matrix-vector product, from about 10^4 elements). On a small machine the start-up and
// synchronisation of the threads cost more than they save for the products of a small network
// at small batches (a 784-100-100-10 step at batch 1 is slower with two threads than with one:
// docs/studies/performance.md). So gradlab picks the count itself, by the size
// of the largest product of a step, and sets it with OpenBLAS's own call, looked up at run time
// (a BLAS without that call is left alone: every function below then does nothing).
#include <cstdint>

namespace gradlab::fast::blas {

// Whether the loaded BLAS lets its thread count be set (OpenBLAS does).
bool can_set_threads();

// The BLAS's thread count now; 1 when it cannot be asked.
int threads();

// The number of cores the BLAS may use (its own count when it can be asked, else the
// hardware's); at least 1.
int available_threads();

// Sets the BLAS's thread count (n >= 1; more than available_threads() is clamped). Returns false,
// changing nothing, when the BLAS has no such call. Throws std::invalid_argument for n < 1.
bool set_threads(int n);

// The policy, by size: one thread while the largest product of a step has fewer multiply-adds
// than this. Below it the start-up and synchronisation of a second thread cost more than it
// saves (docs/studies/performance.md, "The thread policy").
inline constexpr double parallel_threshold = 2.0e6;

// From parallel_threshold on, one thread for every work_per_thread multiply-adds of the largest
// product, at least two, and at most core_share of the cores (at least two): the threads of a
// product meet after every pass, and when every core is taken, any interruption of one of them
// (the system, another program) holds up all the others. On 16 cores 10 to 12 threads beat 14
// and 16 at every batch of 32 and more (docs/studies/performance.md, "The thread policy").
inline constexpr double work_per_thread = 4.0e5;
inline constexpr double core_share = 0.75;

// The rule itself, for a step whose largest product (M x K times K x N) takes `multiply_adds` =
// M N K, on `cores` cores: 1 below parallel_threshold, else multiply_adds / work_per_thread
// (rounded down), at least 2 and at most max(2, core_share x cores rounded down), never more
// than `cores`.
int threads_by_size(double multiply_adds, int cores);

// The thread count the policy picks on this machine: threads_by_size(multiply_adds,
// available_threads()); when the count was fixed with fix_threads, that count instead. It
// depends on the sizes alone, so a run is as fast tomorrow as today. On a machine that other
// work keeps busy, a product's threads wait for each other at every step and more threads do not
// pay: fix one thread there (a lab's --threads 1).
int threads_for(double multiply_adds);

// Fixes the count threads_for returns (a program's --threads option); 0 goes back to the policy.
// Throws std::invalid_argument for n < 0.
void fix_threads(int n);

// The count fixed with fix_threads; 0 while the policy decides.
int fixed_threads();

// Whether the loaded BLAS runs its products on OpenMP's threads (OpenBLAS's OpenMP build, the
// one gradlab links: see CMakeLists.txt); gradlab/fast/parallel.hpp's loops share them then.
bool shares_openmp_threads();

// Sets the thread count for a scope and puts the previous one back at its end.
class ScopedThreads {
 public:
  explicit ScopedThreads(int n);
  ~ScopedThreads();
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int previous_;
};

}  // namespace gradlab::fast::blas
