#include "gradlab/fast/parallel.hpp"

namespace gradlab::fast::parallel {

int threads_for(double numbers) {
  return blas::shares_openmp_threads() && numbers >= parallel_numbers ? blas::threads() : 1;
}

}  // namespace gradlab::fast::parallel
