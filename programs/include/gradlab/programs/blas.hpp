#pragma once
// The BLAS's kernels at a program's start, and the report of the BLAS that results carry.
//
// use_fast_blas_kernels is the first thing every program does (run_main calls it; the
// benchmarks call it through bench::start): when OpenBLAS picked generic kernels on a processor
// with AVX2 or AVX-512 (fast::blas::choose_core in gradlab/fast/blas_core.hpp), the program runs
// itself again, once, with OPENBLAS_CORETYPE set to the best core for the processor, after one
// line on standard error saying so. OpenBLAS reads OPENBLAS_CORETYPE only while it loads, so
// nothing short of a new process changes its kernels. A user's own OPENBLAS_CORETYPE always
// stands.
//
// Environment:
//   OPENBLAS_CORETYPE          the user's core (OpenBLAS's variable), never overridden
//   GRADLAB_CORETYPE_CHOSEN    set with OPENBLAS_CORETYPE when gradlab chose the core: its run
//                              is the corrected one and is not started again
//   GRADLAB_CORETYPE_PICKED    the core OpenBLAS had picked before gradlab chose
//   GRADLAB_TEST_GENERIC_BLAS  for tests only: a core name (Prescott). The program first runs
//                              itself with OpenBLAS forced to that core, as if OpenBLAS had
//                              picked it, so a test sees the correction happen on any machine
//                              with AVX2. Ignored when the user set OPENBLAS_CORETYPE.
#include <nlohmann/json.hpp>

namespace gradlab {

// Checks the BLAS's core and, when it is generic on a processor that runs better kernels, runs
// the program again with the better core (execv of /proc/self/exe with the same arguments; it
// returns only when no new run is needed or it could not be started, after a line saying so).
// Call it before anything is printed. Runs once per process; later calls do nothing.
void use_fast_blas_kernels(char** argv);

// The BLAS as results report it: {"library", "version", "config", "core", "core_chosen_by"
// ("OpenBLAS", "OPENBLAS_CORETYPE" for the user's, or "gradlab"), "core_picked_by_openblas" (when
// gradlab chose), "cpu" ("avx512", "avx2", "none"), "threads" (the BLAS's count now),
// "thread_policy" ("by size" or "fixed"), "cores" (what the BLAS may use), "openmp"}.
nlohmann::json blas_report();

}  // namespace gradlab
