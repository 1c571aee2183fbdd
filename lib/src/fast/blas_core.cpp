#include "gradlab/fast/blas_core.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

namespace gradlab::fast::blas {

namespace {

using GetText = char* (*)();

// An OpenBLAS call that returns text, looked up in whatever the process loaded; "" when absent.
std::string openblas_text(const char* symbol) {
  const auto call = reinterpret_cast<GetText>(::dlsym(RTLD_DEFAULT, symbol));
  if (call == nullptr) return "";
  const char* text = call();
  return text == nullptr ? "" : text;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

}  // namespace

CpuFeatures cpu_features() {
  CpuFeatures cpu;
#if defined(__x86_64__) || defined(__i386__)
  // GCC's checks read cpuid and the registers the operating system saves (XCR0), so a feature
  // the processor has but the system leaves off counts as absent, as it must.
  __builtin_cpu_init();
  cpu.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  cpu.avx512 = cpu.avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  cpu.amd = __builtin_cpu_is("amd");
#endif
  return cpu;
}

std::string to_string(const CpuFeatures& cpu) {
  return cpu.avx512 ? "avx512" : cpu.avx2 ? "avx2" : "none";
}

std::string core_name() { return trimmed(openblas_text("openblas_get_corename")); }

std::string config() { return trimmed(openblas_text("openblas_get_config")); }

std::string version_of(const std::string& config) {
  std::istringstream words(config);
  std::string name, version;
  if (!(words >> name >> version) || name != "OpenBLAS") return "";
  return version;
}

bool picks_core_at_load(const std::string& config) {
  std::istringstream words(config);
  for (std::string word; words >> word;)
    if (word == "DYNAMIC_ARCH") return true;
  return false;
}

KernelClass kernel_class(const std::string& core) {
  static constexpr std::array<const char*, 3> avx512{"skylakex", "cooperlake", "sapphirerapids"};
  static constexpr std::array<const char*, 2> avx2{"haswell", "zen"};
  // OpenBLAS's x86 cores older than AVX2 (the names openblas_get_corename gives them)
  static constexpr std::array<const char*, 24> generic{
      "unknown",    "generic",   "katmai",      "coppermine",  "northwood",
      "prescott",   "banias",    "atom",        "core2",       "penryn",
      "dunnington", "nehalem",   "athlon",      "opteron",     "opteron(sse3)",
      "opteron_sse3", "barcelona", "nano",      "bobcat",      "sandybridge",
      "bulldozer",  "piledriver", "steamroller", "excavator"};
  const std::string name = lower(trimmed(core));
  auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), name) != list.end(); };
  if (in(avx512)) return KernelClass::avx512;
  if (in(avx2)) return KernelClass::avx2;
  if (in(generic)) return KernelClass::generic;
  return KernelClass::other;
}

CoreChoice choose_core(const CoreFacts& f) {
  using Action = CoreChoice::Action;
  if (f.core.empty() || kernel_class(f.core) != KernelClass::generic) return {};
  if (!f.cpu.avx2) return {};  // the generic kernels are the best this processor runs
  if (f.user_coretype) return {};  // OPENBLAS_CORETYPE was set by the user: it stands
  const std::string best = f.cpu.avx512 ? "SkylakeX" : f.cpu.amd ? "Zen" : "Haswell";
  const std::string features = f.cpu.avx512 ? "AVX-512" : "AVX2";
  const std::string picked =
      "OpenBLAS runs its generic " + f.core + " kernels on a processor with " + features;
  if (!f.chosen.empty())
    return {Action::warn, best,
            picked + " although OPENBLAS_CORETYPE=" + f.chosen +
                " was set for it: products run several times slower than they could"};
  if (!f.picks_core_at_load)
    return {Action::warn, best,
            picked + ", and this build of OpenBLAS cannot switch them (OPENBLAS_CORETYPE needs "
                     "a DYNAMIC_ARCH build): products run several times slower than they could"};
  return {Action::choose, best,
          picked + ": running again with OPENBLAS_CORETYPE=" + best +
              " (set OPENBLAS_CORETYPE yourself to choose another)"};
}

std::string to_string(CoreChoice::Action action) {
  switch (action) {
    case CoreChoice::Action::keep: return "keep";
    case CoreChoice::Action::choose: return "choose";
    case CoreChoice::Action::warn: return "warn";
  }
  return "keep";
}

}  // namespace gradlab::fast::blas
