// Compiled with the nn layer's include folders only: train sits above nn, so this must not compile.
#include "gradlab/train/trainer.hpp"
