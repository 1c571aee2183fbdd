// keep_freed_memory (gradlab/fast/memory.hpp): after it, blocks a program frees are reused without
// page faults. The pattern below (four 1 MiB blocks taken, written and freed, thirty times) costs
// glibc's default settings about 1,000 faults a round: it trims the heap each time.
#include <catch2/catch.hpp>

#include "gradlab/fast/memory.hpp"

#include <sys/resource.h>

#include <vector>

namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

}  // namespace

TEST_CASE("keep_freed_memory: freed blocks are reused without page faults", "[memory]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("AddressSanitizer has its own allocator, which mallopt does not set: nothing to check");
#elif defined(__GLIBC__)
  gradlab::fast::keep_freed_memory();
  auto round = [] {
    std::vector<std::vector<double>> blocks;
    for (int i = 0; i < 4; ++i) blocks.emplace_back(131072, 1.0);  // 1 MiB each, written
  };
  round();  // the heap grows once
  const long before = minor_faults();
  for (int r = 0; r < 30; ++r) round();
  const long faults = minor_faults() - before;
  INFO(faults << " page faults in 30 rounds (about 30,000 with glibc's defaults)");
  REQUIRE(faults < 1000);
  gradlab::fast::keep_freed_memory();  // idempotent
  REQUIRE(minor_faults() - before - faults < 100);
#else
  WARN("not glibc: keep_freed_memory does nothing here");
#endif
}
