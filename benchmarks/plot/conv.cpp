// bench-plot's reader of conv*.json (bench-conv): a convolution's forward and backward on the
// VGG-style layers, the reference, the fast path and PyTorch side by side.
#include "shared.hpp"

#include <string>

namespace gradlab::bench::plot {

void conv(const Results& r, const Reference& ref, const fs::path& dir, json& summary) {
  if (r.runs.empty()) return;
  // "conv/<layer>/<path>/batch:<B>/threads:<n>" -> the wall time per iteration
  std::map<std::tuple<std::string, std::string, int>, double> time;
  std::map<std::string, std::string> batch;
  for (const auto& [key, run] : r.runs) {
    const auto parts = split(key, '/');
    if (parts.size() < 5 || parts[0] != "conv") continue;
    time[{parts[1], parts[2], std::stoi(parts[4].substr(parts[4].find(':') + 1))}] = run.real;
    batch[parts[1]] = parts[3].substr(parts[3].find(':') + 1);
  }
  Csv table({"layer", "batch", "threads", "reference", "fast", "PyTorch float64", "reference / fast",
             "fast / PyTorch"});
  for (const auto& [key, fast_s] : time) {
    const auto& [layer, path, threads] = key;
    if (path != "fast") continue;
    auto reference = time.find({layer, "reference", 1});
    const double reference_s = reference == time.end() ? std::nan("") : reference->second;
    auto torch = ref.conv.find({layer, threads});
    const double torch_s = torch == ref.conv.end() ? std::nan("") : torch->second.value("time_s", std::nan(""));
    table.add_row(cells({layer, batch[layer], std::to_string(threads),
                         std::isfinite(reference_s) ? duration(reference_s) + " (1 thread)" : "n/a",
                         duration(fast_s), std::isfinite(torch_s) ? duration(torch_s) : "n/a",
                         num(reference_s / fast_s), num(fast_s / torch_s)}));
    summary["conv"].push_back({{"layer", layer}, {"threads", threads}, {"reference_s", reference_s},
                               {"fast_s", fast_s}, {"torch_s", torch_s}});
  }
  write_table(dir, "table_conv",
              "Convolution forward + backward, 3x3 padding 1, float64: reference, fast path, PyTorch",
              table);
  print_section("Convolution forward + backward (wall time per iteration; fast / PyTorch < 1: faster)", table);
}

}  // namespace gradlab::bench::plot
