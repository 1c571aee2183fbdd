// bench-plot's reader of complexity*.json (bench-complexity): the gradient's cost against the
// parameter count P, its log-log slopes and BigO fits, naive / backprop against 2P/3.
#include "shared.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace gradlab::bench::plot {

namespace {

// Least squares of log t on log P: t = a P^k.
struct Fit {
  double k = std::nan(""), a = std::nan("");
};

Fit loglog(const std::vector<double>& P, const std::vector<double>& t) {
  Fit f;
  const std::size_t n = P.size();
  if (n < 2) return f;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += std::log(P[i]);
    my += std::log(t[i]);
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (std::log(P[i]) - mx) * (std::log(t[i]) - my);
    sxx += (std::log(P[i]) - mx) * (std::log(P[i]) - mx);
  }
  f.k = sxy / sxx;
  f.a = std::exp(my - f.k * mx);
  return f;
}

const char* const methods[] = {"forward", "backward", "backprop", "naive_central", "naive_forward"};

}  // namespace

void complexity(const Results& r, const fs::path& dir, std::vector<Target>& targets, json& summary,
                std::vector<std::string>& warnings) {
  Csv fits({"sweep", "method", "P range", "slope log-log (wall)", "slope log-log (CPU)",
            "slope, top decade of P (wall)", "Google Benchmark BigO", "coefficient", "RMS", "target", "verdict"});
  Csv table({"sweep", "network", "P", "forward", "backward", "backward/forward", "backprop",
             "naive central", "naive forward", "central/backprop", "2P/3", "ratio/theory",
             "forward-diff/backprop", "(P+1)/3"});
  Figure time = figure("complexity_time",
                       "The gradient's cost against the parameter count P (batch 16)",
                       "parameters P", "time per gradient (s)", true, true, {});
  Figure speedup = figure("complexity_speedup", "Speed-up of backprop over the naive gradient",
                          "parameters P", "naive time / backprop time", true, true,
                          {});
  double worst_ratio_low = 1e300, worst_ratio_high = 0.0;
  bool any = false;
  for (const char* sweep : {"depth", "width", "cnn"}) {
    std::map<double, std::map<std::string, Run>> by_P;  // P -> method -> run
    std::map<double, std::string> label;
    for (const auto& [key, run] : r.runs) {
      const auto parts = split(key, '/');
      if (parts.size() < 4 || parts[0] != "complexity" || parts[1] != sweep) continue;
      const double P = run.counter("P");
      by_P[P][parts[2]] = run;
      label[P] = parts[3];
    }
    if (by_P.empty()) continue;
    any = true;
    const std::string data = std::string("complexity_") + sweep + ".csv";
    Csv wide({"P", "forward_s", "backward_s", "backprop_s", "naive_central_s", "naive_forward_s"});
    for (const auto& [P, m] : by_P) {
      auto t = [&](const char* name) {
        auto it = m.find(name);
        return it == m.end() ? std::nan("") : it->second.real;
      };
      wide.add_row(std::vector<double>{P, t("forward"), t("backward"), t("backprop"),
                                       t("naive_central"), t("naive_forward")});
      const double ratio = t("naive_central") / t("backprop"), theory = 2.0 * P / 3.0;
      if (std::isfinite(ratio)) {
        worst_ratio_low = std::min(worst_ratio_low, ratio / theory);
        worst_ratio_high = std::max(worst_ratio_high, ratio / theory);
      }
      table.add_row(cells({sweep, label[P], num(P, 6), duration(t("forward")), duration(t("backward")),
                     num(t("backward") / t("forward")), duration(t("backprop")),
                     duration(t("naive_central")), duration(t("naive_forward")), num(ratio),
                     num(theory), num(ratio / theory),
                     num(t("naive_forward") / t("backprop")), num((P + 1.0) / 3.0)}));
    }
    wide.write(dir / data);

    const double P_low = by_P.begin()->first, P_high = by_P.rbegin()->first;
    for (const char* method : methods) {
      std::vector<double> P, wall, cpu;
      for (const auto& [p, m] : by_P)
        if (auto it = m.find(method); it != m.end()) {
          P.push_back(p);
          wall.push_back(it->second.real);
          cpu.push_back(it->second.cpu);
        }
      if (P.size() < 2) continue;
      const Fit fw = loglog(P, wall), fc = loglog(P, cpu);
      // The same fit over the largest decade of P alone: where a layer's fixed and per-element
      // costs weigh least against its products, the slope the arithmetic alone would give.
      std::vector<double> P_top, wall_top;
      for (std::size_t i = 0; i < P.size(); ++i)
        if (P[i] >= P_high / 10.0) {
          P_top.push_back(P[i]);
          wall_top.push_back(wall[i]);
        }
      const double top_slope = P_top.size() >= 2 ? loglog(P_top, wall_top).k : std::nan("");
      const std::string family = std::string("complexity/") + sweep + "/" + method;
      std::string big_o = "-", coefficient = "-", rms = "-";
      if (auto it = r.aggregates.find(family + "|BigO"); it != r.aggregates.end()) {
        big_o = it->second.value("big_o", "?");
        coefficient = num(it->second.value("real_coefficient", std::nan("")));
      }
      if (auto it = r.aggregates.find(family + "|RMS"); it != r.aggregates.end())
        rms = num(100.0 * it->second.value("rms", std::nan("")), 2) + "%";
      const std::string method_s = method;
      const bool is_backprop = method_s == "backprop";
      const bool is_naive = method_s.rfind("naive", 0) == 0;
      std::string goal = "-", met = "-";
      // The cnn sweep's P spans less than two decades at sizes where a pass's fixed costs (the
      // pool, the dense layer, the calls) still weigh: its slopes are shown, not judged; its
      // naive / backprop ratios are (below).
      if ((is_backprop || is_naive) && std::string(sweep) != "cnn") {
        const double want = is_backprop ? 1.0 : 2.0;
        goal = num(want) + " +- 0.1";
        met = verdict(std::abs(fw.k - want) <= 0.1);
        targets.push_back({std::string("slope, ") + sweep + " sweep, " + method,
                           goal, num(fw.k) + " (BigO " + big_o + ", RMS " + rms +
                                     "; top decade of P: " + num(top_slope) + ")", met});
      }
      fits.add_row(cells({sweep, method, num(P_low, 4) + " .. " + num(P_high, 4), num(fw.k),
                    num(fc.k), num(top_slope), big_o, coefficient, rms, goal, met}));
      summary["complexity"][sweep][method] = {{"slope_wall", fw.k}, {"slope_cpu", fc.k},
                                              {"slope_top_decade", top_slope},
                                              {"big_o", big_o}, {"rms", rms}};
      if (is_backprop || is_naive) {
        // One colour per method; filled points for the depth sweep, open ones for width, squares
        // for cnn.
        const std::string colour = is_backprop ? "'#1b9e77'"
                                   : method_s == "naive_central" ? "'#d95f02'" : "'#7570b3'";
        const std::string kind = sweep;
        const char* point = kind == "depth" ? "7" : kind == "width" ? "6" : "5";
        const char* dash = kind == "depth" ? "2" : kind == "width" ? "3" : "4";
        const std::string column = method_s + "_s";
        time.series.push_back(series(data, "P", column, std::string(sweep) + " sweep, " + method,
                                     "points", std::string("ps 1.3 pt ") + point +
                                                   " lc rgb " + colour));
        char fit[128];
        std::snprintf(fit, sizeof fit, "(%.6g*column('P')**%.6g)", fw.a, fw.k);
        time.series.push_back(series(data, "P", fit, std::string("  fit: slope ") + num(fw.k),
                                     "lines", std::string("dt ") + dash + " lc rgb " + colour));
      }
    }
    speedup.series.push_back(series(data, "P", "(column('naive_central_s')/column('backprop_s'))",
                              std::string(sweep) + " sweep, central differences (2P passes)",
                              "linespoints", ""));
    speedup.series.push_back(series(data, "P", "(column('naive_forward_s')/column('backprop_s'))",
                              std::string(sweep) + " sweep, forward differences (P+1 passes)",
                              "linespoints", ""));
    if (std::string(sweep) == "depth") {
      speedup.series.push_back(series(data, "P", "(2*column('P')/3)", "theory 2P/3", "lines",
                                "dt 2 lw 2 lc rgb 'black'"));
      speedup.series.push_back(series(data, "P", "((column('P')+1)/3)", "theory (P+1)/3", "lines",
                                "dt 3 lw 2 lc rgb 'gray'"));
    }
  }
  if (!any) return;
  targets.push_back({"naive/backprop against 2P/3 (every network)", "within 2x",
                     num(worst_ratio_low) + " .. " + num(worst_ratio_high) + " x theory",
                     verdict(worst_ratio_low >= 0.5 && worst_ratio_high <= 2.0)});
  write_table(dir, "table_complexity_fits", "Complexity: fitted slopes (time = a P^k)", fits);
  write_table(dir, "table_complexity", "Complexity: cost per network", table);
  print_section("Complexity: fitted slopes (time = a P^k; wall and CPU time)", fits);
  print_section("Complexity: cost per network", table);
  render(time, dir, warnings);
  render(speedup, dir, warnings);
}

}  // namespace gradlab::bench::plot
