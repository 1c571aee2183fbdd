#pragma once
// Elementwise loops on the BLAS's threads.
//
// Between its products a training step makes passes over whole matrices: the bias, ReLU and its
// mask, the bias gradient, the update. On 2 cores they are a tenth of a 784-100-100-10 step at
// batch 256, and they ran on one core while the other waited. OpenBLAS's OpenMP build runs its
// products on OpenMP's threads, so a loop can share them: for_slices cuts it into one slice per
// thread the policy gave the products (fast::blas::threads_for), once it has parallel_numbers numbers.
// With a BLAS on threads of its own the loops stay on one thread: a second pool would compete
// with the BLAS's workers, which wait by spinning (a helper thread for the update took 85 to
// 200 us where one thread took 24). Every slice does what the whole loop does for its part, in
// the same order, so a loop's results are the same bit for bit on any number of threads (the
// BLAS's products themselves can differ in the last bits between one thread and two).
#include "gradlab/fast/blas.hpp"

#include <armadillo>

namespace gradlab::fast::parallel {

// A loop over fewer numbers than this stays on one thread: handing out the slices costs about
// 2 us, more than the second thread saves below it. Measured on 2 cores, ReLU's forward (a read
// and a write per number): 4.4 us on one thread and 4.2 on two at 16,000 numbers; 8.8 and 6.3
// at 32,000; 17.9 and 11.1 at 64,000.
inline constexpr double parallel_numbers = 16384;

// The threads a loop over `numbers` numbers gets: fast::blas::threads() when the BLAS shares OpenMP's
// threads and numbers >= parallel_numbers, else 1.
int threads_for(double numbers);

// Runs loop(begin, end) over [0, items) in one contiguous slice per thread (threads_for(numbers)
// of them; numbers: what the loop touches, e.g. a matrix's n_elem when items are its columns).
// With one thread it is the plain call loop(0, items).
template <class Loop>
void for_slices(arma::uword items, double numbers, Loop&& loop) {
  const int slices = threads_for(numbers);
  if (slices == 1) {
    loop(arma::uword{0}, items);
    return;
  }
#pragma omp parallel for num_threads(slices) schedule(static, 1)
  for (int s = 0; s < slices; ++s) {
    const arma::uword part = static_cast<arma::uword>(s);
    loop(items * part / slices, items * (part + 1) / slices);
  }
}

}  // namespace gradlab::fast::parallel
