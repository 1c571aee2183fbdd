#include "gradlab/fast/memory.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc, which the test below needs

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace gradlab::fast {

void keep_freed_memory() {
#if defined(__GLIBC__)
  // Blocks up to 32 MiB (glibc's largest threshold) come from the heap, not from mmap, and up to
  // 512 MiB of free memory at the heap's top stays there. Setting either also stops glibc from
  // moving the thresholds by itself.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
#endif
}

}  // namespace gradlab::fast
