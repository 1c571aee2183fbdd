#pragma once
// Elementwise loops on the BLAS's threads.
//
// Between its products a training step makes passes over whole matrices (the bias, ReLU and its
// mask, the bias gradient, the update). OpenBLAS's OpenMP build runs its products on OpenMP's
// threads, so such a loop shares them: for_slices cuts it into one slice per thread that the
// policy gave the products (blas::threads_for), once it has parallel_numbers numbers. With a BLAS
// on threads of its own the loops stay on one thread: a second pool would compete with the BLAS's
// spinning workers. Every slice does what the whole loop does for its part, in the same order, so
// a loop's results are the same bit for bit on any number of threads (the BLAS's products
// themselves can differ in the last bits between one thread and two).
// The measurements behind these rules: docs/studies/performance.md.
#include "gradlab/fast/blas.hpp"

#include <armadillo>

namespace gradlab::fast::parallel {

// A loop over fewer numbers than this stays on one thread: handing out the slices costs more
// than a second thread saves below it (docs/studies/performance.md, "parallel_numbers").
inline constexpr double parallel_numbers = 16384;

// The threads a loop over `numbers` numbers gets: blas::threads() when the BLAS shares
// OpenMP's threads and numbers >= parallel_numbers, else 1.
int threads_for(double numbers);

// Runs loop(slice, begin, end) over [0, items) in `slices` contiguous slices (threads_for(numbers)
// for a loop over `numbers` numbers), slice 0, 1, ... in the order of their items, each on a
// thread of its own: for a loop that keeps one partial result per slice and adds them in slice
// order afterwards.
template <class Loop>
void for_numbered_slices(arma::uword items, int slices, Loop&& loop) {
  if (slices <= 1) {
    loop(0, arma::uword{0}, items);
    return;
  }
#pragma omp parallel for num_threads(slices) schedule(static, 1)
  for (int s = 0; s < slices; ++s) {
    const arma::uword part = static_cast<arma::uword>(s);
    loop(s, items * part / slices, items * (part + 1) / slices);
  }
}

// Runs loop(begin, end) over [0, items) in one contiguous slice per thread (threads_for(numbers)
// of them; numbers: what the loop touches, e.g. a matrix's n_elem when items are its columns).
// With one thread it is the plain call loop(0, items).
template <class Loop>
void for_slices(arma::uword items, double numbers, Loop&& loop) {
  for_numbered_slices(items, threads_for(numbers),
                      [&](int, arma::uword begin, arma::uword end) { loop(begin, end); });
}

}  // namespace gradlab::fast::parallel
