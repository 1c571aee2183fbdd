#include "gradlab/fast/blas.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace gradlab::fast::blas {

namespace {

using SetThreads = void (*)(int);
using GetThreads = int (*)();

// OpenBLAS's calls, looked up once in whatever the process loaded (null when absent).
SetThreads set_call() {
  static const auto call =
      reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  return call;
}

GetThreads get_call() {
  static const auto call =
      reinterpret_cast<GetThreads>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return call;
}

// The cores OpenBLAS sees (its own count of processors), else the hardware's.
int pool_size() {
  static const int size = [] {
    const auto procs = reinterpret_cast<GetThreads>(::dlsym(RTLD_DEFAULT, "openblas_get_num_procs"));
    if (procs != nullptr) return std::max(1, procs());
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }();
  return size;
}

}  // namespace

bool can_set_threads() { return set_call() != nullptr; }

int threads() {
  if (GetThreads get = get_call()) return std::max(1, get());
  return 1;
}

int available_threads() { return pool_size(); }

bool set_threads(int n) {
  if (n < 1)
    throw std::invalid_argument("fast::blas::set_threads: n = " + std::to_string(n) +
                                " must be at least 1");
  SetThreads set = set_call();
  if (set == nullptr) return false;
  set(std::min(n, pool_size()));
  return true;
}

bool shares_openmp_threads() {
  // openblas_get_parallel: 0 for a sequential build, 1 for pthreads, 2 for OpenMP
  static const bool shares = [] {
    const auto parallel = reinterpret_cast<GetThreads>(::dlsym(RTLD_DEFAULT, "openblas_get_parallel"));
    return parallel != nullptr && parallel() == 2;
  }();
  return shares;
}

namespace {
std::atomic<int> fixed_count{0};  // 0: the policy decides
}  // namespace

void fix_threads(int n) {
  if (n < 0)
    throw std::invalid_argument("fast::blas::fix_threads: n = " + std::to_string(n) + " must be 0 or more");
  fixed_count = n;
}

int fixed_threads() { return fixed_count.load(); }

int threads_by_size(double multiply_adds, int cores) {
  if (cores <= 1 || !(multiply_adds >= parallel_threshold)) return 1;
  const int most = std::min(cores, std::max(2, static_cast<int>(std::floor(core_share * cores))));
  const double share = std::floor(multiply_adds / work_per_thread);
  return static_cast<int>(std::clamp(share, 2.0, static_cast<double>(most)));
}

int threads_for(double multiply_adds) {
  if (const int n = fixed_count.load(); n > 0) return std::min(n, available_threads());
  return threads_by_size(multiply_adds, available_threads());
}

ScopedThreads::ScopedThreads(int n) : previous_(threads()) { set_threads(n); }

ScopedThreads::~ScopedThreads() { set_threads(previous_); }

}  // namespace gradlab::fast::blas
