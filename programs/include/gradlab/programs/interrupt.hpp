#pragma once
// Ctrl-C for long runs: the first SIGINT (or SIGTERM) sets a flag that the training loop reads
// after every step, so the run stops cleanly with what it measured written out; a second one
// ends the program at once.
#include <atomic>

namespace gradlab {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& interrupt_flag();

}  // namespace gradlab
