#pragma once
// Ctrl-C for long runs: the first SIGINT (or SIGTERM) sets a flag that the training loop reads
// after every step, so the run stops cleanly with what it measured written out; a second one
// ends the program at once.
#include <sys/types.h>

#include <atomic>

namespace gradlab {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& interrupt_flag();

// Each SIGINT or SIGTERM this process gets is passed on to pid first (a process it started, such
// as a cell of a grid, in a process group of its own): the first stops it after its current
// step, a second at once. Returns false when too many processes are registered (256).
bool pass_interrupts_to(pid_t pid);
void stop_passing_interrupts_to(pid_t pid);

}  // namespace gradlab
