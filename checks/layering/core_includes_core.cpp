// Compiled with the core layer's include folders only: its own headers compile (the control).
#include "gradlab/check/checker.hpp"
#include "gradlab/ops/affine.hpp"
