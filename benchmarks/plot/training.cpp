// bench-plot's reader of training*.json (bench-training): samples/s and GFLOP/s of a training
// step, its multiple of the FLOP-bound time (from the step's "bound" rows, or from bench-dgemm's
// rates), PyTorch's side when reference-*.json is there, samples/s on every thread count beside
// the thread policy's choice, and the step piece by piece ("parts").
#include "../common.hpp"
#include "shared.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

namespace gradlab::bench::plot {

namespace {

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

// Whether any product of a step's FLOP bound was measured while the other core was busy.
bool bound_disturbed(const Results& dgemm, const std::string& arch, arma::uword B) {
  for (const bench::Product& p : bench::step_products(sizes_of(arch), B, false))
    if (std::isfinite(disturbed_scaling(dgemm, dgemm_key(p, 1)))) return true;
  return false;
}

// PyTorch's row for a network, batch and dtype on `threads` threads; when that count was not
// timed, its fastest row at any count (`used` says which). Null when there is none.
const json* torch_row(const Reference& ref, const std::string& arch, arma::uword B, int threads,
                      const std::string& dtype, int& used) {
  used = threads;
  if (auto it = ref.training.find({arch, static_cast<int>(B), threads, dtype}); it != ref.training.end())
    return &it->second;
  const json* best = nullptr;
  for (const auto& [key, row] : ref.training) {
    const auto& [a, batch, n, d] = key;
    if (a != arch || batch != static_cast<int>(B) || d != dtype) continue;
    if (best == nullptr || row.value("time_s", 1e300) < best->value("time_s", 1e300)) {
      best = &row;
      used = n;
    }
  }
  return best;
}

// The "train" rows of one network and batch over every thread count measured.
struct Sweep {
  std::map<int, double> rate;  // threads -> samples/s
  int policy = 1;              // the count the policy picked when the rows were made
  int best = 1;                // the count with the most samples/s
  double best_rate = std::nan("");
  double policy_rate() const {
    auto it = rate.find(policy);
    return it == rate.end() ? std::nan("") : it->second;
  }
};

Sweep thread_sweep(const Results& train, const std::string& arch, arma::uword B) {
  Sweep sweep;
  const std::string prefix = "train/" + arch + "/batch:" + std::to_string(B) + "/threads:";
  for (auto it = train.runs.lower_bound(prefix); it != train.runs.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    const int threads = std::stoi(it->first.substr(prefix.size()));
    const double rate = static_cast<double>(B) / it->second.real;
    sweep.rate[threads] = rate;
    const double picked = it->second.counter("policy_threads");
    if (std::isfinite(picked)) sweep.policy = static_cast<int>(picked);
    if (!(rate <= sweep.best_rate)) {
      sweep.best_rate = rate;
      sweep.best = threads;
    }
  }
  return sweep;
}

// Samples/s against the thread count, per batch: the table, the figure (with PyTorch's rows at
// the same counts, when reference-*.json has them) and the targets of the thread policy: at
// batch 1 never slower than one thread, and within 10% of the best count measured at every
// batch.
void thread_table(const Results& train, const Reference& ref, const fs::path& dir,
                  std::vector<Target>& targets, json& summary, std::vector<std::string>& warnings) {
  std::set<int> counts;
  for (const auto& [key, run] : train.runs) {
    const auto parts = split(key, '/');
    if (parts.size() == 4 && parts[0] == "train") counts.insert(std::stoi(parts[3].substr(8)));
  }
  if (counts.size() < 2) return;  // one thread count: nothing to compare
  std::vector<std::string> columns{"network", "batch"};
  for (int n : counts) columns.push_back(std::to_string(n) + (n == 1 ? " thread" : " threads"));
  for (const char* c : {"policy (threads)", "best (threads)", "policy / best"}) columns.push_back(c);
  Csv table(columns);
  double worst = 2.0, batch_one = 2.0;
  std::string worst_where, batch_one_where;
  for (const auto* sizes : {&bench::mlp_two_hidden, &bench::mlp_six_hidden}) {
    const std::string arch = bench::arch_name(*sizes);
    std::vector<std::string> data_columns{"threads"};
    for (arma::uword B : bench::batch_sizes) {
      data_columns.push_back("gradlab_" + std::to_string(B));
      data_columns.push_back("torch_" + std::to_string(B));
      data_columns.push_back("policy_" + std::to_string(B));
    }
    Csv data(data_columns);
    std::map<arma::uword, Sweep> sweeps;
    for (arma::uword B : bench::batch_sizes) {
      const Sweep sweep = thread_sweep(train, arch, B);
      if (sweep.rate.empty()) continue;
      sweeps[B] = sweep;
      std::vector<std::string> row{arch, std::to_string(B)};
      for (int n : counts) row.push_back(sweep.rate.count(n) ? num(sweep.rate.at(n), 4) : "-");
      const double ratio = sweep.policy_rate() / sweep.best_rate;
      row.push_back(num(sweep.policy_rate(), 4) + " (" + std::to_string(sweep.policy) + ")");
      row.push_back(num(sweep.best_rate, 4) + " (" + std::to_string(sweep.best) + ")");
      row.push_back(num(ratio));
      table.add_row(cells(row));
      const std::string where = arch + " batch " + std::to_string(B) + ": " +
                                std::to_string(sweep.policy) + " against " +
                                std::to_string(sweep.best) + " threads";
      if (!(ratio >= worst)) {
        worst = ratio;
        worst_where = where;
      }
      if (B == 1 && sweep.rate.count(1)) {
        const double against_one = sweep.policy_rate() / sweep.rate.at(1);
        if (!(against_one >= batch_one)) {
          batch_one = against_one;
          batch_one_where = arch + ": " + std::to_string(sweep.policy) + " thread" +
                            (sweep.policy > 1 ? "s" : "");
        }
      }
      json& entry = summary["threads"][arch][std::to_string(B)];
      for (const auto& [n, rate] : sweep.rate) entry["samples_per_s"][std::to_string(n)] = rate;
      entry["policy"] = sweep.policy;
      entry["best"] = sweep.best;
      entry["policy_over_best"] = ratio;
    }
    if (sweeps.empty()) continue;
    for (int n : counts) {
      std::vector<double> row{static_cast<double>(n)};
      for (arma::uword B : bench::batch_sizes) {
        auto it = sweeps.find(B);
        const bool measured = it != sweeps.end() && it->second.rate.count(n);
        row.push_back(measured ? it->second.rate.at(n) : std::nan(""));
        auto tr = ref.training.find({arch, static_cast<int>(B), n, "float64"});
        row.push_back(tr != ref.training.end() ? static_cast<double>(B) / tr->second.value("time_s", std::nan(""))
                                               : std::nan(""));
        row.push_back(measured && it->second.policy == n ? it->second.rate.at(n) : std::nan(""));
      }
      data.add_row(row);
    }
    const std::string file = "training_threads_" + short_arch(arch) + ".csv";
    data.write(dir / file);
    Figure f = figure("training_threads_" + short_arch(arch),
                      "Training throughput against threads, " + arch + " (float64)",
                      "BLAS threads", "samples per second", true, true,
                      {"set logscale x 2", "set format x '%g'", "set xtics 2"});
    int color = 1;
    for (const auto& [B, sweep] : sweeps) {
      const std::string b = std::to_string(B), lc = "lc " + std::to_string(color++);
      f.series.push_back(series(file, "threads", "gradlab_" + b, "gradlab, batch " + b, "linespoints", "lw 2 pt 7 " + lc));
      if (ref.present)
        f.series.push_back(series(file, "threads", "torch_" + b, "PyTorch, batch " + b, "linespoints", "dt 2 pt 6 " + lc));
      f.series.push_back(series(file, "threads", "policy_" + b, "", "points", "pt 4 ps 2.5 lw 2 " + lc));
    }
    f.commands.push_back("set label 1 'squares: the count the thread policy picks' at graph 0.02, graph 0.04");
    render(f, dir, warnings);
  }
  if (table.rows() == 0) return;
  write_table(dir, "table_training_threads",
              "Training step: samples/s on each thread count, and the thread policy's choice", table);
  print_section("Training step on each thread count (samples/s), the thread policy's choice and "
                "the best measured",
                table);
  if (batch_one <= 1.5)
    targets.push_back({"thread policy at batch 1 against one thread", ">= 1 (never slower)",
                       num(batch_one) + " (" + batch_one_where + ")", verdict(batch_one >= 1.0)});
  targets.push_back({"thread policy against the best thread count measured, every batch",
                     ">= 0.9", num(worst) + " (worst: " + worst_where + ")",
                     verdict(worst >= 0.9)});
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

// The training table, its figures and the targets it measures.
void step_table(const Results& train, const Results& dgemm, const Reference& ref,
                const fs::path& dir, std::vector<Target>& targets, json& summary,
                std::vector<std::string>& warnings) {
  if (train.runs.empty()) return;
  Csv table({"network", "batch", "threads (policy)", "step", "samples/s", "GFLOP/s",
             "x FLOP bound", "1 thread", "best thread count", "backward/forward",
             "with first dX: samples/s", "with first dX: x bound", "PyTorch f64 samples/s",
             "gradlab/PyTorch", "ratio (CPU time)", "PyTorch x bound", "PyTorch f32 samples/s",
             "reference path samples/s", "fast/reference", "update apart: samples/s",
             "fused/apart"});
  Figure multiple = figure("training_flop_multiple",
                           "Training step time as a multiple of its FLOP-bound time",
                           "batch size", "step time / FLOP-bound time", true, true,
                           {"set format y '%g'"});
  const int most = fast::blas::available_threads();
  std::vector<std::string> below_bound;  // rows whose step beat their FLOP bound
  Csv bound_table({"network", "batch", "threads", "step", "its products, again",
                   "its products, first call", "step / products again",
                   "step / products first call"});
  for (const auto* sizes : {&bench::mlp_two_hidden, &bench::mlp_six_hidden}) {
    const std::string arch = bench::arch_name(*sizes);
    Csv wide({"batch", "policy_threads", "gradlab", "gradlab_1_thread", "gradlab_best_threads",
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
      const Sweep sweep = thread_sweep(train, arch, B);
      const Run* lean = run("train_input_grad", policy);  // Sequential::backward: the first dX too
      const Run* halves = run("halves", policy);  // forward and backward, timed side by side
      const Run* reference = run("reference", policy);  // the step from ops/ alone
      const Run* apart = run("train_apart", policy);    // backward, then the update
      const Run* memory = run("memory", policy);        // the step beside the bytes it moves
      const double b = static_cast<double>(B);
      const double flops = bench::step_flops(*sizes, B);
      // The FLOP-bound time. With the "bound" family, the step's products timed beside the step
      // in the same iterations (a slower phase of the machine weighs on both alike), brought to
      // the round this row was timed in; without it, from bench-dgemm's rates.
      const Run* side = run("bound", policy);
      const double side_step = side ? side->counter("step_s") : std::nan("");
      const double side_products = side ? side->counter("products_s") : std::nan("");
      const bool side_by_side = side_step > 0.0 && side_products > 0.0;
      // At batch 1 the step makes no dW product (the update is fused: the memory row bounds it).
      const double bound = B == 1         ? std::nan("")
                           : side_by_side ? ours->real * side_products / side_step
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
      int torch_threads = policy;
      if (const json* tr = torch_row(ref, arch, B, policy, "float64", torch_threads)) {
        torch_time = tr->value("time_s", std::nan(""));
        torch_cpu = tr->value("cpu_s", std::nan(""));
        torch64 = b / torch_time;
      }
      int torch32_threads = policy;
      if (const json* tr32 = torch_row(ref, arch, B, policy, "float32", torch32_threads))
        torch32 = b / tr32->value("time_s", std::nan(""));
      const double ratio = torch_time / ours->real;
      // The same ratio with one thread on each side: what the code does, apart from how a
      // second core served either side while it ran (shown beside the target, not judged).
      double ratio_one = std::nan("");
      int torch_one_threads = 1;
      if (const json* tr1 = torch_row(ref, arch, B, 1, "float64", torch_one_threads);
          tr1 != nullptr && torch_one_threads == 1 && one != nullptr)
        ratio_one = tr1->value("time_s", std::nan("")) / one->real;
      // CPU time: the main thread's on both sides, meaningful with one thread only.
      const double ratio_cpu =
          policy == 1 && torch_threads == 1 ? torch_cpu / ours->cpu : std::nan("");
      const double torch_multiple = torch_time / bound;
      if (our_multiple < 1.0)  // the step beat the sum of its products alone: not a bound
        below_bound.push_back(arch + " batch " + std::to_string(B) + " (" + num(our_multiple) +
                              ")");
      table.add_row(cells({arch, std::to_string(B), std::to_string(policy), duration(ours->real),
                     num(b / ours->real, 4), num(flops / ours->real / 1e9),
                     num(our_multiple), one ? num(b / one->real, 4) : "-",
                     num(sweep.best_rate, 4) + " (" + std::to_string(sweep.best) + ")",
                     num(bwd_fwd),
                     lean ? num(b / lean->real, 4) : "-", num(lean_multiple),
                     num(torch64, 4) + (torch_threads != policy && std::isfinite(torch64)
                                            ? " (" + std::to_string(torch_threads) + " threads)"
                                            : std::string()),
                     num(ratio), num(ratio_cpu), num(torch_multiple), num(torch32, 4),
                     reference ? num(b / reference->real, 4) : "-",
                     reference ? num(reference->real / ours->real) : "-",
                     apart ? num(b / apart->real, 4) : "-",
                     apart ? num(apart->real / ours->real) : "-"}));
      wide.add_row(std::vector<double>{b, static_cast<double>(policy), b / ours->real,
                                       one ? b / one->real : std::nan(""), sweep.best_rate,
                                       lean ? b / lean->real : std::nan(""), torch64, torch32,
                                       our_multiple, lean_multiple, torch_multiple});
      json& row = summary["training"][arch][std::to_string(B)];
      row = {{"threads", policy}, {"step_s", ours->real}, {"samples_per_s", b / ours->real},
             {"gflops", flops / ours->real / 1e9}, {"flop_bound_s", bound},
             {"flop_bound_side_by_side", side_by_side},
             {"flop_multiple", our_multiple}, {"backward_over_forward", bwd_fwd}};
      if (reference) {
        row["reference_path_samples_per_s"] = b / reference->real;
        row["fast_over_reference"] = reference->real / ours->real;
      }
      if (apart) {
        row["apart_samples_per_s"] = b / apart->real;
        row["fused_over_apart"] = apart->real / ours->real;
      }
      if (memory) {
        const double step_s = memory->counter("step_s"), memory_s = memory->counter("memory_s"),
                     bytes = memory->counter("bytes");
        row["memory_bound_s"] = memory_s;
        row["memory_bytes"] = bytes;
        row["memory_gb_per_s"] = bytes / memory_s / 1e9;
        row["memory_multiple"] = step_s / memory_s;
        if (sizes == &bench::mlp_two_hidden)
          targets.push_back({"step time / memory-bound time, " + arch + ", batch 1 (not a target)",
                             "-",
                             num(step_s / memory_s) + " (step " + duration(step_s) + "; " +
                                 num(bytes / 1e6) + " MB at " + num(bytes / memory_s / 1e9) +
                                 " GB/s measured beside it: " + duration(memory_s) + ")",
                             "n/a (the physical limit)"});
      }
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
        const double want = B == 1 ? 8.0 : B == 64 ? 1.5 : (B == 256 || B == 1000) ? 1.2 : 0.0;
        if (want > 0.0) {
          if (ref.present && std::isfinite(ratio))
            targets.push_back({"gradlab/PyTorch samples/s, " + arch + ", batch " +
                                   std::to_string(B),
                               ">= " + num(want),
                               num(ratio) + " (" + num(b / ours->real, 4) + " vs " +
                                   num(torch64, 4) + " samples/s, " + std::to_string(policy) +
                                   " thread" + (policy > 1 ? "s" : "") +
                                   (torch_threads != policy
                                        ? "; PyTorch on " + std::to_string(torch_threads) +
                                              " thread" + (torch_threads > 1 ? "s" : "") +
                                              " (its best count)"
                                        : std::string()) +
                                   (std::isfinite(ratio_cpu) ? "; from CPU time " + num(ratio_cpu)
                                                             : std::string()) +
                                   (policy > 1 && std::isfinite(ratio_one)
                                        ? "; one thread each: " + num(ratio_one)
                                        : std::string()) + ")",
                               verdict(ratio >= want)});
          else if (B == 1)
            targets.push_back({"gradlab/PyTorch samples/s, " + arch + ", batch 1",
                               ">= 8 (PyTorch ~600 us, the issue's figure)",
                               num(600e-6 / ours->real) + " (" + duration(ours->real) +
                                   " per step)",
                               verdict(600e-6 / ours->real >= 8.0) + " (vs the issue's figure)"});
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
                            "batch size", "samples per second", true, true, {});
    samples.series.push_back(series(data, "batch", "gradlab", "gradlab (thread policy)", "linespoints", "lw 2"));
    samples.series.push_back(series(data, "batch", "gradlab_1_thread", "gradlab, 1 thread", "linespoints", "dt 2"));
    if (most >= 2)
      samples.series.push_back(series(data, "batch", "gradlab_best_threads", "gradlab, best thread count measured", "linespoints", "dt 3"));
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

}  // namespace

void training(const Results& train, const Results& dgemm, const Reference& ref,
              const fs::path& dir, std::vector<Target>& targets, json& summary,
              std::vector<std::string>& warnings) {
  step_table(train, dgemm, ref, dir, targets, summary, warnings);
  thread_table(train, ref, dir, targets, summary, warnings);
  step_parts(train, dgemm, dir, summary);
}

}  // namespace gradlab::bench::plot
