// The BLAS's core (gradlab/fast/blas_core.hpp): the decision between OpenBLAS's pick and the
// processor's features, as a table, and the facts it reads from a build line.
#include <catch2/catch.hpp>

#include "gradlab/fast/blas_core.hpp"

#include <string>
#include <vector>

using namespace gradlab;
using fast::blas::CoreChoice;
using fast::blas::CoreFacts;
using fast::blas::CpuFeatures;
using fast::blas::KernelClass;
using Action = CoreChoice::Action;

namespace {

const CpuFeatures intel_avx512{true, true, false};
const CpuFeatures intel_avx2{true, false, false};
const CpuFeatures amd_avx2{true, false, true};
const CpuFeatures amd_avx512{true, true, true};
const CpuFeatures sse_only{false, false, false};

struct Row {
  std::string core;
  CpuFeatures cpu;
  bool dynamic, user;
  std::string chosen;  // the core gradlab already set; empty: none
  Action action;
  std::string choice;  // the core chosen or named, for choose and warn
};

}  // namespace

TEST_CASE("blas core: the choice for each core OpenBLAS picked and each processor", "[blas]") {
  const std::vector<Row> table{
      // a generic core on a processor with more: the best core of its class
      {"Prescott", intel_avx512, true, false, "", Action::choose, "SkylakeX"},
      {"Prescott", intel_avx2, true, false, "", Action::choose, "Haswell"},
      {"Prescott", amd_avx2, true, false, "", Action::choose, "Zen"},
      {"Prescott", amd_avx512, true, false, "", Action::choose, "SkylakeX"},
      {"Core2", intel_avx512, true, false, "", Action::choose, "SkylakeX"},
      {"Nehalem", intel_avx2, true, false, "", Action::choose, "Haswell"},
      {"Atom", intel_avx2, true, false, "", Action::choose, "Haswell"},
      {"Sandybridge", intel_avx512, true, false, "", Action::choose, "SkylakeX"},
      {"Barcelona", amd_avx2, true, false, "", Action::choose, "Zen"},
      {"Unknown", intel_avx2, true, false, "", Action::choose, "Haswell"},
      {"generic", amd_avx2, true, false, "", Action::choose, "Zen"},
      {"prescott", intel_avx512, true, false, "", Action::choose, "SkylakeX"},  // any case
      // a core of the processor's class, or above AVX2: kept
      {"SkylakeX", intel_avx512, true, false, "", Action::keep, ""},
      {"Cooperlake", intel_avx512, true, false, "", Action::keep, ""},
      {"SapphireRapids", intel_avx512, true, false, "", Action::keep, ""},
      {"Haswell", intel_avx2, true, false, "", Action::keep, ""},
      {"Haswell", intel_avx512, true, false, "", Action::keep, ""},
      {"Zen", amd_avx2, true, false, "", Action::keep, ""},
      {"Zen", amd_avx512, true, false, "", Action::keep, ""},
      // a name the rule does not know (another architecture, a newer core): kept
      {"NeoverseN1", sse_only, true, false, "", Action::keep, ""},
      {"Zen5", amd_avx512, true, false, "", Action::keep, ""},
      // no BLAS that names its core: nothing to do
      {"", intel_avx512, false, false, "", Action::keep, ""},
      // a processor without AVX2: the generic kernels are its best
      {"Prescott", sse_only, true, false, "", Action::keep, ""},
      {"Nehalem", sse_only, true, false, "", Action::keep, ""},
      // the user's OPENBLAS_CORETYPE stands, whatever it is
      {"Prescott", intel_avx512, true, true, "", Action::keep, ""},
      {"Core2", amd_avx2, true, true, "", Action::keep, ""},
      // a build that cannot switch: said, not switched
      {"Prescott", intel_avx512, false, false, "", Action::warn, "SkylakeX"},
      {"Nehalem", amd_avx2, false, false, "", Action::warn, "Zen"},
      // the chosen core did not take: said, and no new run (no loop)
      {"Prescott", intel_avx512, true, false, "SkylakeX", Action::warn, "SkylakeX"},
      {"Prescott", amd_avx2, true, false, "Zen", Action::warn, "Zen"},
      // the chosen core took: nothing more to say
      {"SkylakeX", intel_avx512, true, false, "SkylakeX", Action::keep, ""},
      {"Zen", amd_avx2, true, false, "Zen", Action::keep, ""},
  };
  for (const Row& r : table) {
    CoreFacts facts;
    facts.core = r.core;
    facts.cpu = r.cpu;
    facts.picks_core_at_load = r.dynamic;
    facts.user_coretype = r.user;
    facts.chosen = r.chosen;
    const CoreChoice c = fast::blas::choose_core(facts);
    INFO("core '" << r.core << "', cpu " << fast::blas::to_string(r.cpu)
                  << (r.cpu.amd ? " (AMD)" : "") << ", dynamic " << r.dynamic << ", user "
                  << r.user << ", already chosen '" << r.chosen << "' -> "
                  << fast::blas::to_string(c.action) << " " << c.core << ": " << c.message);
    REQUIRE(fast::blas::to_string(c.action) == fast::blas::to_string(r.action));
    if (r.action == Action::keep) {
      REQUIRE(c.message.empty());
    } else {
      REQUIRE(c.core == r.choice);
      // one line, naming the generic core and, when choosing, the variable and its value
      REQUIRE(c.message.find('\n') == std::string::npos);
      REQUIRE(c.message.find(r.core) != std::string::npos);
      REQUIRE(c.message.find("OPENBLAS_CORETYPE") != std::string::npos);
      if (r.action == Action::choose)
        REQUIRE(c.message.find("OPENBLAS_CORETYPE=" + r.choice) != std::string::npos);
      if (!r.chosen.empty())  // the core that was set and did not take
        REQUIRE(c.message.find("OPENBLAS_CORETYPE=" + r.chosen + " was set") != std::string::npos);
    }
  }
}

TEST_CASE("blas core: the class of each core's kernels", "[blas]") {
  REQUIRE(fast::blas::kernel_class("SkylakeX") == KernelClass::avx512);
  REQUIRE(fast::blas::kernel_class("COOPERLAKE") == KernelClass::avx512);
  REQUIRE(fast::blas::kernel_class("Haswell") == KernelClass::avx2);
  REQUIRE(fast::blas::kernel_class("Zen") == KernelClass::avx2);
  for (const char* old : {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
                          "Sandybridge", "Bulldozer", "Piledriver", "Steamroller", "Excavator",
                          "Barcelona", "Opteron(SSE3)", "Bobcat", "Nano", "Katmai", "Unknown"})
    REQUIRE(fast::blas::kernel_class(old) == KernelClass::generic);
  REQUIRE(fast::blas::kernel_class("armv8") == KernelClass::other);
  REQUIRE(fast::blas::kernel_class("") == KernelClass::other);
}

TEST_CASE("blas core: the version and DYNAMIC_ARCH from OpenBLAS's build line", "[blas]") {
  const std::string debian = "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64";
  REQUIRE(fast::blas::version_of(debian) == "0.3.21");
  REQUIRE(fast::blas::picks_core_at_load(debian));
  const std::string fixed = "OpenBLAS 0.3.26 NO_AFFINITY SKYLAKEX MAX_THREADS=128";
  REQUIRE(fast::blas::version_of(fixed) == "0.3.26");
  REQUIRE_FALSE(fast::blas::picks_core_at_load(fixed));
  REQUIRE_FALSE(fast::blas::picks_core_at_load("OpenBLAS 0.3.21 DYNAMIC_ARCH_LIST Haswell"));
  REQUIRE(fast::blas::version_of("") == "");
  REQUIRE(fast::blas::version_of("MKL 2024") == "");
}

TEST_CASE("blas core: the BLAS gradlab links names its core and build", "[blas]") {
  const std::string config = fast::blas::config();
  if (config.empty()) {
    WARN("not checked: the loaded BLAS is not OpenBLAS");
    return;
  }
  REQUIRE_FALSE(fast::blas::core_name().empty());
  REQUIRE_FALSE(fast::blas::version_of(config).empty());
  // the build line names the core it runs
  REQUIRE(config.find(fast::blas::core_name()) != std::string::npos);
}
