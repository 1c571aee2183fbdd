#include "gradlab/parallel.hpp"

namespace gradlab::parallel {

int threads_for(double numbers) {
  return blas::shares_openmp_threads() && numbers >= parallel_numbers ? blas::threads() : 1;
}

}  // namespace gradlab::parallel
