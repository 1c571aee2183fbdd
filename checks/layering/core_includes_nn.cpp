// Compiled with the core layer's include folders only: nn sits above core, so this must not compile.
#include "gradlab/nn/layer.hpp"
