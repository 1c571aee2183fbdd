#include "gradlab/programs/interrupt.hpp"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace gradlab {

namespace {
std::atomic<bool> interrupted{false};

// The processes a signal is passed on to (a grid's cells, in process groups of their own so
// that Ctrl-C reaches them only this way, once per press). 0: a free slot.
constexpr int max_children = 256;
std::atomic<pid_t> children[max_children];

extern "C" void on_signal(int signal) {
  for (auto& child : children)
    if (const pid_t pid = child.load(); pid > 0) ::kill(pid, signal);
  if (interrupted.exchange(true)) std::_Exit(128 + signal);  // the second one: stop now
  const char message[] = "\ninterrupted: stopping after the current step (again to quit now)\n";
  [[maybe_unused]] auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
}
}  // namespace

const std::atomic<bool>& interrupt_flag() {
  static const bool installed = [] {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    return true;
  }();
  (void)installed;
  return interrupted;
}

bool pass_interrupts_to(pid_t pid) {
  interrupt_flag();
  for (auto& child : children) {
    pid_t free = 0;
    if (child.compare_exchange_strong(free, pid)) return true;
  }
  return false;
}

void stop_passing_interrupts_to(pid_t pid) {
  for (auto& child : children) {
    pid_t expected = pid;
    child.compare_exchange_strong(expected, 0);
  }
}

}  // namespace gradlab
