#include "gradlab/programs/interrupt.hpp"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace gradlab {

namespace {
std::atomic<bool> interrupted{false};

extern "C" void on_signal(int signal) {
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

}  // namespace gradlab
