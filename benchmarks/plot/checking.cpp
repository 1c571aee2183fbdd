// bench-plot's reader of gradcheck*.json (bench-gradcheck): the exhaustive and directional
// checks of 784-100-10 against torch.autograd.gradcheck (reference-*.json, or the issue's
// figures when it is missing).
#include "shared.hpp"

namespace gradlab::bench::plot {

void checking(const Results& r, const Reference& ref, const fs::path& dir,
              std::vector<Target>& targets, json& summary) {
  if (r.runs.empty()) return;
  Csv table({"check", "numbers", "gradlab", "PyTorch", "speed-up", "target"});
  auto find = [&](const std::string& key) -> const Run* {
    auto it = r.runs.find(key);
    return it == r.runs.end() ? nullptr : &it->second;
  };
  const std::string net = "784-100-10/batch:8";
  const Run* exhaustive = find("gradcheck/exhaustive/" + net);
  const Run* rerun = find("gradcheck/exhaustive_rerun/" + net);
  const Run* dir1 = find("gradcheck/directional/" + net + "/directions:1");
  const Run* dir8 = find("gradcheck/directional/" + net + "/directions:8");
  const Run* ndir1 = find("gradcheck/network_directional/" + net + "/directions:1");
  const Run* ndir8 = find("gradcheck/network_directional/" + net + "/directions:8");
  double torch_full = 34.0, torch_fast = 6e-3;  // the figures, when not measured
  std::string torch_full_s = "34 s (issue)", torch_fast_s = "6 ms (issue)";
  if (auto it = ref.gradcheck.find("exhaustive"); it != ref.gradcheck.end()) {
    torch_full = it->second.value("time_s", std::nan(""));
    torch_full_s = duration(torch_full);
  }
  if (auto it = ref.gradcheck.find("fast"); it != ref.gradcheck.end()) {
    torch_fast = it->second.value("time_s", std::nan(""));
    torch_fast_s = duration(torch_fast);
  }
  auto row = [&](const std::string& name, const Run* run, double torch, const std::string& torch_s,
                 const std::string& goal) {
    if (run == nullptr) return;
    table.add_row(cells({name, num(run->counter("checked"), 6), duration(run->real), torch_s,
                   num(torch / run->real), goal}));
  };
  row("exhaustive: check_network (incremental)", exhaustive, torch_full, torch_full_s, ">= 10");
  row("exhaustive: check_vjp (whole forward per number)", rerun, torch_full, torch_full_s, "-");
  row("directional, 1 direction: check_network_directional", ndir1, torch_fast, torch_fast_s, ">= 2");
  row("directional, 1 direction: check_directional", dir1, torch_fast, torch_fast_s, "-");
  row("directional, 8 directions: check_network_directional", ndir8, torch_fast, torch_fast_s, "-");
  row("directional, 8 directions: check_directional", dir8, torch_fast, torch_fast_s, "-");
  const std::string source = ref.gradcheck.empty() ? " (vs the issue's figure)" : "";
  if (exhaustive) {
    targets.push_back({"exhaustive check 784-100-10 batch 8, vs torch.autograd.gradcheck",
                       ">= 10x faster",
                       num(torch_full / exhaustive->real) + "x (" + duration(exhaustive->real) +
                           " vs " + torch_full_s + ")",
                       verdict(torch_full / exhaustive->real >= 10.0) + source});
    summary["gradcheck"]["exhaustive_s"] = exhaustive->real;
  }
  if (ndir1) {
    targets.push_back({"directional check (1 direction) vs gradcheck fast_mode", ">= 2x faster",
                       num(torch_fast / ndir1->real) + "x (" + duration(ndir1->real) + " vs " +
                           torch_fast_s + "; generic check_directional: " +
                           (dir1 ? duration(dir1->real) : "-") + ")",
                       verdict(torch_fast / ndir1->real >= 2.0) + source});
    summary["gradcheck"]["network_directional_1_s"] = ndir1->real;
  }
  if (rerun) summary["gradcheck"]["exhaustive_rerun_s"] = rerun->real;
  if (dir1) summary["gradcheck"]["directional_1_s"] = dir1->real;
  summary["gradcheck"]["torch_exhaustive_s"] = torch_full;
  summary["gradcheck"]["torch_fast_s"] = torch_fast;
  write_table(dir, "table_gradcheck", "Gradient checking, 784-100-10 tanh, batch 8, float64", table);
  print_section("Gradient checking: 784-100-10 tanh, batch 8, float64, 85 782 numbers", table);
}

}  // namespace gradlab::bench::plot
