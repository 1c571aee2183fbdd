// Compiled with the core layer's include folders only: the reference ops never use the fast path.
#include "gradlab/fast/kernels.hpp"
