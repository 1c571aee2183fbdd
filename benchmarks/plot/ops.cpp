// bench-plot's reader of ops*.json (bench-ops): every op, forward and backward, at the labs'
// shapes.
#include "shared.hpp"

#include <string>

namespace gradlab::bench::plot {

void ops(const Results& r, const fs::path& dir) {
  if (r.runs.empty()) return;
  Csv table({"set", "op", "shapes", "pass", "time", "items/s", "GFLOP/s"});
  for (const auto& [key, run] : r.runs) {
    auto parts = split(key, '/');
    if (parts.size() < 4) continue;
    std::string shapes;
    for (std::size_t i = 3; i + 1 < parts.size(); ++i) shapes += (shapes.empty() ? "" : " ") + parts[i];
    // ops is single-threaded: rates from CPU time (less inflated by a busy machine)
    table.add_row(cells({parts[1], parts[2], shapes, parts.back(), duration(run.cpu),
                   num(run.counter("items_per_second"), 4), num(run.counter("FLOPS") / 1e9)}));
  }
  write_table(dir, "table_ops", "Every op, forward and backward, at the labs' shapes", table);
  print_section("Ops (one thread; CPU time)", table);
}

}  // namespace gradlab::bench::plot
