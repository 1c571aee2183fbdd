#pragma once
// What bench-plot's readers share: loading Google Benchmark's JSON (and the PyTorch reference's),
// number formatting, the targets, and the writers of tables and figures. Each reader
// (complexity.cpp, ops.cpp, dgemm.cpp, training.cpp, checking.cpp) is one function declared at
// the end; main.cpp calls them in order.
#include "gradlab/output/csv.hpp"
#include "gradlab/output/figure.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace gradlab::bench::plot {

namespace fs = std::filesystem;
using nlohmann::json;
using output::Csv;
using output::Figure;
using output::Series;

// ---------------------------------------------------------------------------------------------
// Reading

json read_json(const fs::path& path);

// DIR's files PREFIX*.json, sorted by name.
std::vector<fs::path> files(const fs::path& dir, const std::string& prefix);

// A benchmark's time field in seconds, whatever its time_unit.
double seconds(const json& b, const char* field);

// "complexity/depth/backprop/depth:8/min_time:0.100/real_time" -> "complexity/depth/backprop/depth:8"
std::string clean(const std::string& name);

std::vector<std::string> split(const std::string& text, char separator);

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

// Every DIR/PREFIX*.json (several files of one kind are rounds of the same runs: each row keeps
// its fastest round).
Results load(const fs::path& dir, const std::string& prefix);

struct Reference {
  bool present = false;
  std::string version;
  // (arch, batch, threads, dtype) -> best row
  std::map<std::tuple<std::string, int, int, std::string>, json> training;
  std::map<std::string, json> gradcheck;  // "exhaustive", "fast"
  std::map<std::tuple<std::string, int>, json> conv;  // (layer, threads) -> best row
};

// DIR/reference-*.json (benchmarks/reference/torch_reference.py), each row's fastest round.
Reference load_reference(const fs::path& dir);

// Whether two threads were barely faster than one on a large product of bench-dgemm (10^7
// multiply-adds or more; on a quiet 2-core machine two threads take 0.5 to 0.6 of one thread's
// time there): then the other core was busy while bench-dgemm ran, and a time built from that
// rate reads too long. Returns their time / one thread's, NaN when the product is small or was
// not measured.
double disturbed_scaling(const Results& dgemm, const std::string& one_thread_key);

// ---------------------------------------------------------------------------------------------
// Formatting and the targets

std::string num(double v, int digits = 3);

// "1.5 s", "12 ms", "48 us"
std::string duration(double s);

// "a, b, c"
std::string joined(const std::vector<std::string>& items);

struct Target {
  std::string what, goal, measured, verdict;  // verdict: "met", "MISSED", or "n/a" (why)
};

// "met" or "MISSED"
std::string verdict(bool met);

// ---------------------------------------------------------------------------------------------
// Tables and figures

// CSV cells hold no commas (output::Csv does not quote): text cells use ';' instead.
std::vector<std::string> cells(std::vector<std::string> c);

Series series(std::string data, std::string x, std::string y, std::string title,
              std::string style, std::string extra);

Figure figure(std::string name, std::string title, std::string xlabel, std::string ylabel,
              bool logx, bool logy, std::vector<std::string> commands);

// DIR/NAME.csv and its title beside it (NAME.csv.title: the tables out/index.html shows).
void write_table(const fs::path& dir, const std::string& name, const std::string& title,
                 const Csv& csv);

// The table on standard output, under its title.
void print_section(const std::string& title, const Csv& csv);

// The figure's PNG, SVG and gnuplot script in DIR; nothing when it has no series (a filtered
// run); a failure of gnuplot becomes a warning.
void render(const Figure& f, const fs::path& dir, std::vector<std::string>& warnings);

// ---------------------------------------------------------------------------------------------
// The readers, in the order main.cpp calls them. Each writes its tables and figures into DIR,
// prints them, and adds to the targets and summary.json.

// complexity*.json (bench-complexity): complexity_depth.csv, complexity_width.csv,
// table_complexity_fits.csv, table_complexity.csv, the complexity_time and complexity_speedup
// figures.
void complexity(const Results& r, const fs::path& dir, std::vector<Target>& targets, json& summary,
                std::vector<std::string>& warnings);

// ops*.json (bench-ops): table_ops.csv.
void ops(const Results& r, const fs::path& dir);

// dgemm*.json (bench-dgemm): table_dgemm.csv, and a note naming the products on which two
// threads were barely faster than one.
void dgemm(const Results& dgemm, const fs::path& dir);

// training*.json (bench-training), with bench-dgemm's rates and the PyTorch reference:
// table_training.csv, training_<arch>.csv, table_training_threads.csv,
// training_threads_<arch>.csv, table_step_bound.csv, table_step_parts.csv, the
// training_samples_<arch>, training_threads_<arch> and training_flop_multiple figures.
void training(const Results& train, const Results& dgemm, const Reference& ref,
              const fs::path& dir, std::vector<Target>& targets, json& summary,
              std::vector<std::string>& warnings);

// conv*.json (bench-conv), with the PyTorch reference: table_conv.csv, the reference, the fast
// path and PyTorch on each layer and thread count, and their ratios.
void conv(const Results& r, const Reference& ref, const fs::path& dir, json& summary);

// gradcheck*.json (bench-gradcheck), with the PyTorch reference: table_gradcheck.csv.
void checking(const Results& r, const Reference& ref, const fs::path& dir,
              std::vector<Target>& targets, json& summary);

}  // namespace gradlab::bench::plot
