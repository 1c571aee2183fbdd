// bench-plot: turns the benchmarks' JSON (and the PyTorch reference's, when there) into CSV tables,
// gnuplot figures, summary.json and the summary printed with the targets.
//
//   ./build/bin/bench-plot [--dir out/benchmarks]
//
// Reads from DIR whatever is there: complexity*.json, ops*.json, training*.json, dgemm*.json,
// gradcheck*.json (Google Benchmark's JSON; several files of one kind are rounds of the same
// runs, and each row keeps its fastest round), reference-*.json (benchmarks/reference/
// torch_reference.py). Writes into DIR:
//   complexity_depth.csv, complexity_width.csv        one row per network, every method
//   table_complexity_fits.csv, table_complexity.csv    slopes and BigO fits; costs and ratios
//   table_training.csv, training_<arch>.csv            samples/s, GFLOP/s, FLOP-bound multiple
//   table_step_bound.csv                               a step beside its products alone
//   table_dgemm.csv, table_ops.csv, table_gradcheck.csv, table_targets.csv
//   complexity_time, complexity_speedup, training_samples_<arch>, training_flop_multiple
//                                                      figures (PNG, SVG, gnuplot script)
//   summary.json
// (table_*.csv with a .title beside them are the tables out/index.html shows.)
#include "common.hpp"

#include "gradlab/programs/cli.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/output/figure.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;
using gradlab::output::Csv;
using gradlab::output::Figure;
using gradlab::output::Series;
using gradlab::text::Table;

namespace {

using namespace gradlab;

// ---------------------------------------------------------------------------------------------
// Reading

json read_json(const fs::path& path) {
  std::ifstream in(path);
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(path.string() + " is not valid JSON");
  return j;
}

std::vector<fs::path> files(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> found;
  if (!fs::is_directory(dir)) return found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind(prefix, 0) == 0 && e.path().extension() == ".json")
      found.push_back(e.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

double seconds(const json& b, const char* field) {
  const std::string unit = b.value("time_unit", "ns");
  const double scale = unit == "s" ? 1.0 : unit == "ms" ? 1e-3 : unit == "us" ? 1e-6 : 1e-9;
  return b.value(field, 0.0) * scale;
}

// "complexity/depth/backprop/depth:8/min_time:0.100/real_time" -> "complexity/depth/backprop/depth:8"
std::string clean(const std::string& name) {
  std::string out;
  std::stringstream in(name);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.rfind("min_time:", 0) == 0 || part == "real_time" || part.rfind("iterations:", 0) == 0 ||
        part.rfind("repeats:", 0) == 0 || part == "manual_time")
      continue;
    out += (out.empty() ? "" : "/") + part;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

struct Run {
  double real = 0.0, cpu = 0.0;  // seconds per iteration
  json raw;
  double counter(const char* name) const { return raw.value(name, std::nan("")); }
};

struct Results {
  std::map<std::string, Run> runs;        // iteration runs by clean key, fastest round
  std::map<std::string, json> aggregates;  // "key|BigO", "key|RMS"
  json context;                            // the first file's context
  int files = 0;
};

Results load(const fs::path& dir, const std::string& prefix) {
  Results r;
  for (const fs::path& path : files(dir, prefix)) {
    const json j = read_json(path);
    if (r.files++ == 0 && j.contains("context")) r.context = j["context"];
    for (const json& b : j.value("benchmarks", json::array())) {
      const std::string key = clean(b.value("run_name", b.value("name", "")));
      if (b.value("run_type", "iteration") == "aggregate") {
        r.aggregates[key + "|" + b.value("aggregate_name", "")] = b;
        continue;
      }
      if (b.contains("error_occurred") && b["error_occurred"].get<bool>()) continue;
      Run run{seconds(b, "real_time"), seconds(b, "cpu_time"), b};
      auto it = r.runs.find(key);
      if (it == r.runs.end() || run.real < it->second.real) r.runs[key] = run;
    }
  }
  return r;
}

struct Reference {
  bool present = false;
  std::string version;
  // (arch, batch, threads, dtype) -> best row
  std::map<std::tuple<std::string, int, int, std::string>, json> training;
  std::map<std::string, json> gradcheck;  // "exhaustive", "fast"
};

Reference load_reference(const fs::path& dir) {
  Reference ref;
  for (const fs::path& path : files(dir, "reference-")) {
    const json j = read_json(path);
    ref.present = true;
    ref.version = j.value("torch", "");
    for (const json& row : j.value("training", json::array())) {
      auto key = std::make_tuple(row.value("arch", ""), row.value("batch", 0),
                                 row.value("threads", 0), row.value("dtype", ""));
      auto it = ref.training.find(key);
      if (it == ref.training.end() || row.value("time_s", 1e300) < it->second.value("time_s", 1e300))
        ref.training[key] = row;
    }
    for (const json& row : j.value("gradcheck", json::array())) {
      const std::string name = row.value("name", "");
      auto it = ref.gradcheck.find(name);
      if (it == ref.gradcheck.end() || row.value("time_s", 1e300) < it->second.value("time_s", 1e300))
        ref.gradcheck[name] = row;
    }
  }
  return ref;
}

// ---------------------------------------------------------------------------------------------
// Formatting and the targets

std::string num(double v, int digits = 3) {
  if (!std::isfinite(v)) return "nan";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

std::string duration(double s) {
  if (!std::isfinite(s)) return "nan";
  if (s >= 1.0) return num(s) + " s";
  if (s >= 1e-3) return num(s * 1e3) + " ms";
  return num(s * 1e6) + " us";
}

struct Target {
  std::string what, goal, measured, verdict;  // verdict: "met", "MISSED", or "n/a" (why)
};

std::string verdict(bool met) { return met ? "met" : "MISSED"; }

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

// CSV cells hold no commas (output::Csv does not quote): text cells use ';' instead.
std::vector<std::string> cells(std::vector<std::string> c) {
  for (std::string& cell : c) std::replace(cell.begin(), cell.end(), ',', ';');
  return c;
}

Series series(std::string data, std::string x, std::string y, std::string title,
              std::string style, std::string extra) {
  Series s;
  s.data = std::move(data);
  s.x = std::move(x);
  s.y = std::move(y);
  s.title = std::move(title);
  s.style = std::move(style);
  s.extra = std::move(extra);
  return s;
}

Figure figure(std::string name, std::string title, std::string xlabel, std::string ylabel,
              bool logx, bool logy, std::vector<std::string> commands) {
  Figure f;
  f.name = std::move(name);
  f.title = std::move(title);
  f.xlabel = std::move(xlabel);
  f.ylabel = std::move(ylabel);
  f.logx = logx;
  f.logy = logy;
  f.commands = std::move(commands);
  return f;
}

void write_table(const fs::path& dir, const std::string& name, const std::string& title,
                 const Csv& csv) {
  csv.write(dir / (name + ".csv"));
  io::write_file_atomically(dir / (name + ".csv.title"), title);
}

void print_section(const std::string& title, const Csv& csv) {
  std::cout << '\n' << title << '\n';
  Table t(csv.columns());
  std::stringstream text(csv.text());
  std::string line;
  std::getline(text, line);  // header
  while (std::getline(text, line)) {
    std::vector<std::string> cells = split(line, ',');
    cells.resize(csv.columns().size());
    t.add_row(cells);
  }
  t.print(std::cout);
}

void render(const Figure& f, const fs::path& dir, std::vector<std::string>& warnings) {
  if (f.series.empty()) return;  // nothing measured for it (a filtered run)
  try {
    output::render(f, dir);
  } catch (const std::exception& e) {
    warnings.push_back(e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// Complexity

const char* const methods[] = {"forward", "backward", "backprop", "naive_central", "naive_forward"};

void complexity(const Results& r, const fs::path& dir, std::vector<Target>& targets, json& summary,
                std::vector<std::string>& warnings) {
  Csv fits({"sweep", "method", "P range", "slope log-log (wall)", "slope log-log (CPU)",
            "slope, top decade of P (wall)", "Google Benchmark BigO", "coefficient", "RMS", "target", "verdict"});
  Csv table({"sweep", "network", "P", "forward", "backward", "backward/forward", "backprop",
             "naive central", "naive forward", "central/backprop", "2P/3", "ratio/theory",
             "forward-diff/backprop", "(P+1)/3"});
  Figure time = figure("complexity_time",
                       "The gradient's cost against the parameter count P (batch 16)",
                       "parameters P", "time per gradient (s)", true, true, {"set key left top"});
  Figure speedup = figure("complexity_speedup", "Speed-up of backprop over the naive gradient",
                          "parameters P", "naive time / backprop time", true, true,
                          {"set key left top"});
  double worst_ratio_low = 1e300, worst_ratio_high = 0.0;
  bool any = false;
  for (const char* sweep : {"depth", "width"}) {
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
      if (is_backprop || is_naive) {
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
        // One colour per method; filled points for the depth sweep, open ones for width.
        const std::string colour = is_backprop ? "'#1b9e77'"
                                   : method_s == "naive_central" ? "'#d95f02'" : "'#7570b3'";
        const bool depth = std::string(sweep) == "depth";
        const std::string column = method_s + "_s";
        time.series.push_back(series(data, "P", column, std::string(sweep) + " sweep, " + method,
                                     "points", std::string("ps 1.3 pt ") + (depth ? "7" : "6") +
                                                   " lc rgb " + colour));
        char fit[128];
        std::snprintf(fit, sizeof fit, "(%.6g*column('P')**%.6g)", fw.a, fw.k);
        time.series.push_back(series(data, "P", fit, std::string("  fit: slope ") + num(fw.k),
                                     "lines", std::string("dt ") + (depth ? "2" : "3") +
                                                  " lc rgb " + colour));
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

// ---------------------------------------------------------------------------------------------
// Training and the machine's limit

std::vector<arma::uword> sizes_of(const std::string& arch) {
  std::vector<arma::uword> sizes;
  for (const std::string& s : split(arch, '-')) sizes.push_back(std::stoul(s));
  return sizes;
}

std::string short_arch(const std::string& arch) {
  return arch == bench::arch_name(bench::mlp_six_hidden) ? "six_hidden" : arch;
}

// bench-dgemm's name for a product on `threads` threads.
std::string dgemm_key(const bench::Product& p, int threads) {
  return "dgemm/" + p.kind + "/" + std::to_string(p.M) + "x" + std::to_string(p.N) + "x" +
         std::to_string(p.K) + "/threads:" + std::to_string(threads);
}

// One product's time alone (bench-dgemm): the best measured on at most `threads` threads (a step
// may run a product on fewer); NaN when it was not measured.
double product_time(const Results& dgemm, const bench::Product& p, int threads) {
  double best = std::nan("");
  for (int n = 1; n <= threads; ++n) {
    if (auto it = dgemm.runs.find(dgemm_key(p, n)); it != dgemm.runs.end())
      best = std::isnan(best) ? it->second.real : std::min(best, it->second.real);
  }
  return best;
}

// The FLOP-bound time of one training step on `threads` threads: the sum of its products' times
// alone.
double flop_bound(const Results& dgemm, const std::string& arch, arma::uword B, int threads,
                  bool first_input_gradient) {
  double t = 0.0;
  for (const bench::Product& p : bench::step_products(sizes_of(arch), B, first_input_gradient))
    t += product_time(dgemm, p, threads);
  return t;
}

// Whether two threads were barely faster than one on a large product (10^7 multiply-adds or
// more; on a quiet 2-core machine two threads take 0.5 to 0.6 of one thread's time there): then
// the other core was busy while bench-dgemm ran, and a time built from that rate reads too long.
// Returns their time / one thread's, NaN when the product is small or was not measured.
double disturbed_scaling(const Results& dgemm, const std::string& one_thread_key) {
  auto one = dgemm.runs.find(one_thread_key);
  if (one == dgemm.runs.end()) return std::nan("");
  const Run& r = one->second;
  if (!(r.counter("M") * r.counter("N") * r.counter("K") >= 1e7)) return std::nan("");
  auto two = dgemm.runs.find(one_thread_key.substr(0, one_thread_key.size() - 1) + "2");
  if (two == dgemm.runs.end()) return std::nan("");
  const double ratio = two->second.real / r.real;
  return ratio > 0.8 ? ratio : std::nan("");
}

// Whether any product of a step's FLOP bound was measured while the other core was busy.
bool bound_disturbed(const Results& dgemm, const std::string& arch, arma::uword B) {
  for (const bench::Product& p : bench::step_products(sizes_of(arch), B, false))
    if (std::isfinite(disturbed_scaling(dgemm, dgemm_key(p, 1)))) return true;
  return false;
}

// "a, b, c"
std::string joined(const std::vector<std::string>& items) {
  std::string all;
  for (const std::string& item : items) all += (all.empty() ? "" : ", ") + item;
  return all;
}

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

// bench-training's "parts": a step piece by piece beside each Linear layer's products alone.
void step_parts(const Results& train, const Results& dgemm, const fs::path& dir, json& summary) {
  Csv table({"network", "batch", "threads", "part", "in the step", "its products alone",
             "step / alone", "share of the step"});
  for (const auto& [key, run] : train.runs) {
    const auto parts = split(key, '/');
    if (parts.size() < 4 || parts[0] != "parts") continue;
    const std::string& arch = parts[1];
    const arma::uword B = std::stoul(parts[2].substr(6));
    const int threads = std::stoi(parts[3].substr(8));
    // "part:<index>:<layer>:forward|backward", "part:loss", "part:update": seconds per step,
    // put in the order of the step below
    std::vector<std::pair<std::string, double>> pieces;
    for (const auto& [name, value] : run.raw.items())
      if (name.rfind("part:", 0) == 0 && value.is_number()) pieces.push_back({name.substr(5), value.get<double>()});
    auto order = [](const std::string& p) {
      if (p == "loss") return std::make_pair(1, 0);
      if (p == "update") return std::make_pair(3, 0);
      const int index = std::stoi(p);
      const bool backward = p.size() >= 8 && p.compare(p.size() - 8, 8, "backward") == 0;
      return backward ? std::make_pair(2, -index) : std::make_pair(0, index);
    };
    std::sort(pieces.begin(), pieces.end(),
              [&](const auto& a, const auto& b) { return order(a.first) < order(b.first); });
    double total = 0.0, products = 0.0;
    for (const auto& piece : pieces) total += piece.second;
    // A Linear layer's products: Y = W X forward; dW = dY X^T backward, and dX = W^T dY except
    // for the lowest Linear (backward_parameters).
    auto linear = [](const std::string& part, unsigned long& in, unsigned long& out) {
      const auto fields = split(part, ':');
      return fields.size() == 3 &&
             std::sscanf(fields[1].c_str(), "Linear(%lu, %lu)", &in, &out) == 2;
    };
    int lowest = -1;  // the forwards come first, by index: the first Linear met is the lowest
    for (const auto& piece : pieces) {
      unsigned long in = 0, out = 0;
      if (linear(piece.first, in, out)) {
        lowest = std::stoi(piece.first);
        break;
      }
    }
    for (const auto& [part, seconds] : pieces) {
      double alone = std::nan("");
      unsigned long in = 0, out = 0;
      if (linear(part, in, out)) {
        if (part.compare(part.size() - 8, 8, ":forward") == 0) {
          alone = product_time(dgemm, {out, B, in, "Y=WX"}, threads);
        } else {
          alone = product_time(dgemm, {out, in, B, "dW=dYX'"}, threads);
          if (std::stoi(part) != lowest) alone += product_time(dgemm, {in, B, out, "dX=W'dY"}, threads);
        }
        products += alone;
      }
      table.add_row(cells({arch, std::to_string(B), std::to_string(threads), part,
                           duration(seconds), std::isfinite(alone) ? duration(alone) : "-",
                           std::isfinite(alone) ? num(seconds / alone) : "-",
                           num(100.0 * seconds / total, 2) + "%"}));
    }
    table.add_row(cells({arch, std::to_string(B), std::to_string(threads), "the whole step",
                         duration(total), duration(products), num(total / products), "100%"}));
    summary["step_parts"][arch][std::to_string(B)] = {
        {"threads", threads}, {"step_s", total}, {"products_alone_s", products}};
  }
  if (table.rows() == 0) return;
  write_table(dir, "table_step_parts",
              "Where a training step's time goes: each part beside its products alone", table);
  print_section("Where a training step's time goes (784-100-100-10, each part beside its products "
                "alone)", table);
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

void training(const Results& train, const Results& dgemm, const Reference& ref,
              const fs::path& dir, std::vector<Target>& targets, json& summary,
              std::vector<std::string>& warnings) {
  if (train.runs.empty()) return;
  Csv table({"network", "batch", "threads (policy)", "step", "samples/s", "GFLOP/s",
             "x FLOP bound", "1 thread", "2 threads", "backward/forward",
             "with first dX: samples/s", "with first dX: x bound", "PyTorch f64 samples/s",
             "gradlab/PyTorch", "ratio (CPU time)", "PyTorch x bound", "PyTorch f32 samples/s"});
  Figure multiple = figure("training_flop_multiple",
                           "Training step time as a multiple of its FLOP-bound time",
                           "batch size", "step time / FLOP-bound time", true, true,
                           {"set key right top", "set format y '%g'"});
  const int most = fast::blas::available_threads();
  std::vector<std::string> below_bound;  // rows whose step beat their FLOP bound
  Csv bound_table({"network", "batch", "threads", "step", "its products, again",
                   "its products, first call", "step / products again",
                   "step / products first call"});
  for (const auto* sizes : {&bench::mlp_two_hidden, &bench::mlp_six_hidden}) {
    const std::string arch = bench::arch_name(*sizes);
    Csv wide({"batch", "policy_threads", "gradlab", "gradlab_1_thread", "gradlab_2_threads",
              "with_first_dX", "torch64", "torch32", "gradlab_multiple", "with_first_dX_multiple",
              "torch_multiple"});
    bool rows = false;
    for (arma::uword B : bench::batch_sizes) {
      auto run = [&](const std::string& family, int threads) -> const Run* {
        const std::string key = family + "/" + arch + "/batch:" + std::to_string(B) +
                                "/threads:" + std::to_string(threads);
        auto it = train.runs.find(key);
        return it == train.runs.end() ? nullptr : &it->second;
      };
      // The count the policy picked when the runs were made (it reads the machine's load).
      const Run* first = run("train", 1);
      if (first == nullptr) continue;
      const double picked = first->counter("policy_threads");
      const int policy = std::isfinite(picked) ? static_cast<int>(picked) : 1;
      const Run* ours = run("train", policy);
      if (ours == nullptr) continue;
      rows = true;
      const Run* one = run("train", 1);
      const Run* two = most >= 2 ? run("train", 2) : nullptr;
      const Run* lean = run("train_input_grad", policy);  // Sequential::backward: the first dX too
      const Run* halves = run("halves", policy);  // forward and backward, timed side by side
      const double b = static_cast<double>(B);
      const double flops = bench::step_flops(*sizes, B);
      // The FLOP-bound time. With the "bound" family, the step's products timed beside the step
      // in the same iterations (a slower phase of the machine weighs on both alike), brought to
      // the round this row was timed in; without it, from bench-dgemm's rates.
      const Run* side = run("bound", policy);
      const double side_step = side ? side->counter("step_s") : std::nan("");
      const double side_products = side ? side->counter("products_s") : std::nan("");
      const bool side_by_side = side_step > 0.0 && side_products > 0.0;
      const double bound = side_by_side ? ours->real * side_products / side_step
                                        : flop_bound(dgemm, arch, B, policy, false);
      if (side_by_side) {
        const double first = side->counter("products_first_s");
        bound_table.add_row(cells({arch, std::to_string(B), std::to_string(policy),
                                   duration(side_step), duration(side_products), duration(first),
                                   num(side_step / side_products), num(side_step / first)}));
      }
      const double our_multiple = ours->real / bound;
      const double lean_multiple = lean ? lean->real / bound : std::nan("");
      const double bwd_fwd =
          halves ? halves->counter("backward_s") / halves->counter("forward_s") : std::nan("");
      double torch64 = std::nan(""), torch32 = std::nan(""), torch_time = std::nan(""),
             torch_cpu = std::nan("");
      auto tr = ref.training.find({arch, static_cast<int>(B), policy, "float64"});
      if (tr != ref.training.end()) {
        torch_time = tr->second.value("time_s", std::nan(""));
        torch_cpu = tr->second.value("cpu_s", std::nan(""));
        torch64 = b / torch_time;
      }
      auto tr32 = ref.training.find({arch, static_cast<int>(B), policy, "float32"});
      if (tr32 != ref.training.end()) torch32 = b / tr32->second.value("time_s", std::nan(""));
      const double ratio = torch_time / ours->real;
      // CPU time: the main thread's on both sides, meaningful with one thread only.
      const double ratio_cpu = policy == 1 ? torch_cpu / ours->cpu : std::nan("");
      const double torch_multiple = torch_time / bound;
      if (our_multiple < 1.0)  // the step beat the sum of its products alone: not a bound
        below_bound.push_back(arch + " batch " + std::to_string(B) + " (" + num(our_multiple) +
                              ")");
      table.add_row(cells({arch, std::to_string(B), std::to_string(policy), duration(ours->real),
                     num(b / ours->real, 4), num(flops / ours->real / 1e9),
                     num(our_multiple), one ? num(b / one->real, 4) : "-",
                     two ? num(b / two->real, 4) : "-", num(bwd_fwd),
                     lean ? num(b / lean->real, 4) : "-", num(lean_multiple), num(torch64, 4),
                     num(ratio), num(ratio_cpu), num(torch_multiple), num(torch32, 4)}));
      wide.add_row(std::vector<double>{b, static_cast<double>(policy), b / ours->real,
                                       one ? b / one->real : std::nan(""),
                                       two ? b / two->real : std::nan(""),
                                       lean ? b / lean->real : std::nan(""), torch64, torch32,
                                       our_multiple, lean_multiple, torch_multiple});
      json& row = summary["training"][arch][std::to_string(B)];
      row = {{"threads", policy}, {"step_s", ours->real}, {"samples_per_s", b / ours->real},
             {"gflops", flops / ours->real / 1e9}, {"flop_bound_s", bound},
             {"flop_bound_side_by_side", side_by_side},
             {"flop_multiple", our_multiple}, {"backward_over_forward", bwd_fwd}};
      if (ref.present) {
        row["torch_float64_samples_per_s"] = torch64;
        row["ratio"] = ratio;
        row["torch_flop_multiple"] = torch_multiple;
        row["torch_float32_samples_per_s"] = torch32;
      }
      if (B == 256)
        targets.push_back({"backward/forward, " + arch + ", batch 256", "<= 2.2", num(bwd_fwd),
                           verdict(bwd_fwd <= 2.2)});
      if (sizes == &bench::mlp_two_hidden) {
        const double want = B == 1 ? 5.0 : B == 64 ? 1.5 : (B == 256 || B == 1000) ? 1.0 : 0.0;
        if (want > 0.0) {
          if (ref.present && std::isfinite(ratio))
            targets.push_back({"gradlab/PyTorch samples/s, " + arch + ", batch " +
                                   std::to_string(B),
                               ">= " + num(want),
                               num(ratio) + " (" + num(b / ours->real, 4) + " vs " +
                                   num(torch64, 4) + " samples/s, " + std::to_string(policy) +
                                   " thread" + (policy > 1 ? "s" : "") +
                                   (std::isfinite(ratio_cpu) ? "; from CPU time " + num(ratio_cpu)
                                                             : std::string()) + ")",
                               verdict(ratio >= want)});
          else if (B == 1)
            targets.push_back({"gradlab/PyTorch samples/s, " + arch + ", batch 1",
                               ">= 5 (PyTorch ~600 us, the issue's figure)",
                               num(600e-6 / ours->real) + " (" + duration(ours->real) +
                                   " per step)",
                               verdict(600e-6 / ours->real >= 5.0) + " (vs the issue's figure)"});
          else
            targets.push_back({"gradlab/PyTorch samples/s, " + arch + ", batch " +
                                   std::to_string(B),
                               ">= " + num(want), num(b / ours->real, 4) + " samples/s",
                               "n/a (run --compare)"});
        }
        if (B == 256)
          targets.push_back({"step time / FLOP-bound time, " + arch + ", batch 256", "<= 1.05",
                             num(our_multiple) + " (with the first layer's dX: " +
                                 num(lean_multiple) + "; PyTorch: " + num(torch_multiple) + ")",
                             (!side_by_side && bound_disturbed(dgemm, arch, B)) ||
                                     our_multiple < 1.0
                                 ? "unsure: the bound was measured in another phase (see the note)"
                                 : verdict(our_multiple <= 1.05)});
      }
    }
    if (!rows) continue;
    const std::string data = "training_" + short_arch(arch) + ".csv";
    wide.write(dir / data);
    Figure samples = figure("training_samples_" + short_arch(arch),
                            "Training throughput, " + arch + " (float64 unless marked)",
                            "batch size", "samples per second", true, true, {"set key left top"});
    samples.series.push_back(series(data, "batch", "gradlab", "gradlab (thread policy)", "linespoints", "lw 2"));
    samples.series.push_back(series(data, "batch", "gradlab_1_thread", "gradlab, 1 thread", "linespoints", "dt 2"));
    if (most >= 2)
      samples.series.push_back(series(data, "batch", "gradlab_2_threads", "gradlab, 2 threads", "linespoints", "dt 3"));
    if (sizes == &bench::mlp_two_hidden)
      samples.series.push_back(series(data, "batch", "with_first_dX", "gradlab with the first layer's dX", "linespoints", "dt 4"));
    if (ref.present) {
      samples.series.push_back(series(data, "batch", "torch64", "PyTorch (same threads)", "linespoints", "lw 2"));
      samples.series.push_back(series(data, "batch", "torch32", "PyTorch float32", "linespoints", "dt 2"));
    }
    render(samples, dir, warnings);
    multiple.series.push_back(series(data, "batch", "gradlab_multiple", "gradlab, " + arch, "linespoints", "lw 2"));
    if (sizes == &bench::mlp_two_hidden)
      multiple.series.push_back(series(data, "batch", "with_first_dX_multiple",
                                 "gradlab with the first layer's dX, " + arch, "linespoints", "dt 4"));
    if (ref.present)
      multiple.series.push_back(series(data, "batch", "torch_multiple", "PyTorch, " + arch, "linespoints", "dt 2"));
  }
  multiple.commands.push_back("set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 3 lc rgb 'black'");
  render(multiple, dir, warnings);
  write_table(dir, "table_training", "Training step: gradlab (float64) and PyTorch", table);
  print_section(bound_table.rows() > 0
                    ? "Training step (wall time; x FLOP bound = step time / its products' time "
                      "alone, timed beside the step: the table below)"
                    : "Training step (wall time; x FLOP bound = step time / the sum of its "
                      "products at bench-dgemm's rates)",
                table);
  if (bound_table.rows() > 0) {
    write_table(dir, "table_step_bound",
                "A training step beside its products alone, timed in the same iterations",
                bound_table);
    print_section("A training step beside its products alone, in the same iterations (again: "
                  "the FLOP bound, operands in cache; first call: its own operands, last "
                  "touched an iteration before)",
                  bound_table);
  }
  if (!below_bound.empty()) {
    std::cout << "note: a step ran faster than its products alone on " << joined(below_bound)
              << ": their products were timed while the machine was slower than when the steps "
                 "were, so these FLOP bounds are too long. Run again on a quiet machine.\n";
  }
}

// ---------------------------------------------------------------------------------------------
// Gradient checking

void gradcheck(const Results& r, const Reference& ref, const fs::path& dir,
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

// ---------------------------------------------------------------------------------------------
// Ops

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Tables, figures and the targets from the benchmarks' JSON.", "bench-plot"};
  std::string dir_name = "out/benchmarks";
  app.add_option("--dir", dir_name, "the folder of JSON files, and where results go");
  return gradlab::run_main(app, argc, argv, [&] {
    const fs::path dir(dir_name);
    if (!fs::is_directory(dir)) throw std::runtime_error(dir_name + " is not a folder");
    const Results complexity_runs = load(dir, "complexity");
    const Results ops_runs = load(dir, "ops");
    const Results training_runs = load(dir, "training");
    const Results dgemm_runs = load(dir, "dgemm");
    const Results gradcheck_runs = load(dir, "gradcheck");
    const Reference ref = load_reference(dir);

    json summary;
    std::vector<Target> targets;
    std::vector<std::string> warnings;
    const json& context = !training_runs.context.is_null() ? training_runs.context
                                                           : complexity_runs.context;
    if (!context.is_null()) {
      summary["machine"] = {{"host", context.value("host_name", "")},
                            {"cpus", context.value("num_cpus", 0)},
                            {"mhz", context.value("mhz_per_cpu", 0)},
                            {"load_average", context.value("load_avg", json::array())}};
      std::cout << "machine: " << context.value("num_cpus", 0) << " cpus at "
                << context.value("mhz_per_cpu", 0) << " MHz, load average "
                << context.value("load_avg", json::array()).dump() << " when the runs began";
      const json load = context.value("load_avg", json::array());
      if (!load.empty() && load[0].get<double>() > context.value("num_cpus", 1))
        std::cout << " (busy: other work shared the cores, wall times are inflated)";
      std::cout << '\n';
    }
    if (ref.present) {
      summary["torch"] = ref.version;
      std::cout << "reference: PyTorch " << ref.version << " (reference-*.json)\n";
    }

    complexity(complexity_runs, dir, targets, summary, warnings);
    ops(ops_runs, dir);
    dgemm_table(dgemm_runs, dir);
    note_dgemm_scaling(dgemm_runs);
    training(training_runs, dgemm_runs, ref, dir, targets, summary, warnings);
    step_parts(training_runs, dgemm_runs, dir, summary);
    gradcheck(gradcheck_runs, ref, dir, targets, summary);

    if (!targets.empty()) {
      Csv t({"target", "goal", "measured", "verdict"});
      for (const Target& x : targets) t.add_row(cells({x.what, x.goal, x.measured, x.verdict}));
      write_table(dir, "table_targets", "The issue's targets, measured", t);
      print_section("Targets", t);
      for (const Target& x : targets)
        summary["targets"].push_back(
            {{"target", x.what}, {"goal", x.goal}, {"measured", x.measured}, {"verdict", x.verdict}});
    }
    io::write_file_atomically(dir / "summary.json", summary.dump(1) + "\n");
    for (const std::string& w : warnings) std::cerr << "bench-plot: " << w << '\n';
    std::cout << "\nwrote " << (dir / "summary.json").string() << " and the tables and figures beside it\n";
    return warnings.empty() ? 0 : 1;
  });
}
