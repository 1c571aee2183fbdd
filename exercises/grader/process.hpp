#pragma once
// Running a program the grader does not trust (the compiler on a student's file, the harness on
// its compiled code, Python on its NumPy twin): in a process group of its own, with a time
// limit, its output kept in a file. Safe to call from several threads at once (posix_spawn).
#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::exercises {

struct Finished {
  int exit_code = -1;     // the exit status when the program exited
  int signal = 0;         // the signal that ended it, else 0
  bool timed_out = false; // still running at the limit: its whole group was killed
  std::string output;     // standard output and error, together (the last 64 KiB)
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
};

// Runs argv[0] (searched on PATH when it has no '/') with `argv`, and `environment` entries
// ("NAME=value") set on top of this process's. `scratch` is a folder for the output file.
// Throws std::runtime_error when the program cannot be started.
Finished run_limited(const std::vector<std::string>& argv, double seconds,
                     const std::filesystem::path& scratch,
                     const std::vector<std::string>& environment = {});

// "SIGSEGV (segmentation fault)": a signal's name and what it usually means.
std::string describe_signal(int signal);

}  // namespace gradlab::exercises
