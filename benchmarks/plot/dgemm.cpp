// bench-plot's reader of dgemm*.json (bench-dgemm): the machine's limit, each product of a
// training step alone, and a note when a busy second core slowed its two-thread rates.
#include "shared.hpp"

#include <cmath>
#include <iostream>

namespace gradlab::bench::plot {

namespace {

// A line naming the large products on which two threads were barely faster than one.
void note_dgemm_scaling(const Results& dgemm) {
  std::vector<std::string> slow;
  for (const auto& [key, run] : dgemm.runs) {
    if (key.size() < 9 || key.compare(key.size() - 9, 9, "threads:1") != 0) continue;
    const double ratio = disturbed_scaling(dgemm, key);
    if (std::isfinite(ratio))
      slow.push_back(split(key, '/')[1] + " " + split(key, '/')[2] + " (" + num(ratio, 2) + ")");
  }
  if (slow.empty()) return;
  std::cout << "note: two threads were barely faster than one (their time / one thread's) on "
            << joined(slow)
            << ": the other core was busy during bench-dgemm, so what uses these rates (the "
               "products alone in table_step_parts; 'x FLOP bound' when bench-training has no "
               "bound rows) reads too long. Run again on a quiet machine.\n";
}

void dgemm_table(const Results& dgemm, const fs::path& dir) {
  if (dgemm.runs.empty()) return;
  Csv csv({"product", "M", "N", "K", "threads", "time", "GFLOP/s"});
  for (const auto& [key, run] : dgemm.runs) {
    const auto parts = split(key, '/');
    if (parts.size() < 4) continue;
    csv.add_row(cells({parts[1], num(run.counter("M"), 6), num(run.counter("N"), 6),
                 num(run.counter("K"), 6), parts[3].substr(8), duration(run.real),
                 num(run.counter("FLOPS") / 1e9)}));
  }
  write_table(dir, "table_dgemm", "The machine's limit: dgemm at the networks' shapes", csv);
}

}  // namespace

void dgemm(const Results& dgemm, const fs::path& dir) {
  dgemm_table(dgemm, dir);
  note_dgemm_scaling(dgemm);
}

}  // namespace gradlab::bench::plot
