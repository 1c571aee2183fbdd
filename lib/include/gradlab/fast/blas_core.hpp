#pragma once
// Which kernels the BLAS runs, and the rule that keeps them from being generic ones.
//
// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernels, its "core", when it is loaded,
// from the processor's cpuid. A processor it does not know gets its generic Prescott kernels
// (SSE3), three to four times slower than the AVX-512 ones on a step of 784-100-100-10
// (docs/studies/performance.md, "The BLAS's core"). The environment variable OPENBLAS_CORETYPE
// names the core instead, and is read only while the library loads, so a program corrects a
// generic core by running itself again with it set (gradlab/programs/blas.hpp does, at start-up).
// This header holds what the program needs for that: what OpenBLAS picked, what the processor
// supports, and choose_core, the decision itself (a function of those facts alone).
#include <string>

namespace gradlab::fast::blas {

// The processor's vector extensions, as far as the operating system enables them.
struct CpuFeatures {
  bool avx2 = false;    // AVX2 and FMA
  bool avx512 = false;  // AVX-512 F, BW, DQ and VL (what OpenBLAS's SkylakeX kernels use)
  bool amd = false;     // made by AMD
};

// This processor's features (cpuid). All false on a processor that is not x86-64.
CpuFeatures cpu_features();

// "avx512", "avx2" or "none": the best of the features.
std::string to_string(const CpuFeatures& cpu);

// The core OpenBLAS runs (openblas_get_corename: "Haswell", "SkylakeX", "Prescott", ...); empty
// when the loaded BLAS is not OpenBLAS.
std::string core_name();

// OpenBLAS's build line (openblas_get_config: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH
// NO_AFFINITY Haswell MAX_THREADS=64"); empty when the loaded BLAS is not OpenBLAS.
std::string config();

// The version in a build line: "0.3.21" from "OpenBLAS 0.3.21 ..."; empty when there is none.
std::string version_of(const std::string& config);

// Whether a build line says the library picks its core when loaded (DYNAMIC_ARCH), so that
// OPENBLAS_CORETYPE can change it.
bool picks_core_at_load(const std::string& config);

// The class of a core's kernels, from its name (case does not matter): avx512 for SkylakeX,
// Cooperlake and SapphireRapids; avx2 for Haswell and Zen; generic for every older x86 core
// (Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Sandybridge, Bulldozer, ..., and
// "Unknown"); other for any other name (another architecture, or a core newer than this list),
// which the rule leaves alone.
enum class KernelClass { generic, avx2, avx512, other };
KernelClass kernel_class(const std::string& core);

// Everything choose_core looks at.
struct CoreFacts {
  std::string core;              // the core OpenBLAS picked (core_name())
  CpuFeatures cpu;               // what the processor supports
  bool picks_core_at_load = false;  // a DYNAMIC_ARCH build: OPENBLAS_CORETYPE is honoured
  bool user_coretype = false;    // the user set OPENBLAS_CORETYPE: their choice stands
  std::string chosen;            // the core gradlab already set for this run; empty: none
};

// What to do about the core:
//   keep   nothing (the core suits the processor, or the user chose it, or the BLAS is not
//          OpenBLAS);
//   choose run again with OPENBLAS_CORETYPE = core (a generic core on a processor with AVX2 or
//          AVX-512, on a build that can switch): SkylakeX with AVX-512, else Zen on AMD and
//          Haswell on others;
//   warn   a generic core that cannot be switched here (a build without DYNAMIC_ARCH, or the
//          core that was chosen did not take): say so, and run on.
// `message` is the line to print on standard error for choose and warn, empty for keep.
struct CoreChoice {
  enum class Action { keep, choose, warn };
  Action action = Action::keep;
  std::string core;
  std::string message;
};
CoreChoice choose_core(const CoreFacts& facts);

// The name of an action: "keep", "choose", "warn".
std::string to_string(CoreChoice::Action action);

}  // namespace gradlab::fast::blas
