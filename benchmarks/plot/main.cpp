// bench-plot: turns the benchmarks' JSON (and the PyTorch reference's, when there) into CSV tables,
// gnuplot figures, summary.json and the summary printed with the targets.
//
//   ./build/bin/bench-plot [--dir out/benchmarks]
//
// Reads from DIR whatever is there: complexity*.json, ops*.json, training*.json, dgemm*.json,
// conv*.json, gradcheck*.json (Google Benchmark's JSON; several files of one kind are rounds of the same
// runs, and each row keeps its fastest round), reference-*.json (benchmarks/reference/
// torch_reference.py). Writes into DIR:
//   complexity_depth.csv, complexity_width.csv        one row per network, every method
//   table_complexity_fits.csv, table_complexity.csv    slopes and BigO fits; costs and ratios
//   table_training.csv, training_<arch>.csv            samples/s, GFLOP/s, FLOP-bound multiple
//   table_step_bound.csv                               a step beside its products alone
//   table_step_parts.csv                               a step piece by piece, beside its products
//   table_training_threads.csv, training_threads_<arch>.csv   samples/s on each thread count
//   table_dgemm.csv, table_ops.csv, table_conv.csv, table_gradcheck.csv, table_targets.csv
//   complexity_time, complexity_speedup, training_samples_<arch>, training_flop_multiple,
//   training_threads_<arch>                            figures (PNG, SVG, gnuplot script)
//   summary.json
// (table_*.csv with a .title beside them are the tables out/index.html shows.)
//
// One reader per benchmark, in this folder: complexity.cpp, ops.cpp, dgemm.cpp, training.cpp,
// conv.cpp, checking.cpp; shared.hpp holds what they share.
#include "shared.hpp"

#include "gradlab/programs/cli.hpp"
#include "gradlab/io/files.hpp"

#include <iostream>
#include <stdexcept>

namespace fs = std::filesystem;
using nlohmann::json;
namespace plot = gradlab::bench::plot;

int main(int argc, char** argv) {
  CLI::App app{"Tables, figures and the targets from the benchmarks' JSON.", "bench-plot"};
  std::string dir_name = "out/benchmarks";
  app.add_option("--dir", dir_name, "the folder of JSON files, and where results go");
  return gradlab::run_main(app, argc, argv, [&] {
    const fs::path dir(dir_name);
    if (!fs::is_directory(dir)) throw std::runtime_error(dir_name + " is not a folder");
    const plot::Results complexity_runs = plot::load(dir, "complexity");
    const plot::Results ops_runs = plot::load(dir, "ops");
    const plot::Results training_runs = plot::load(dir, "training");
    const plot::Results dgemm_runs = plot::load(dir, "dgemm");
    const plot::Results gradcheck_runs = plot::load(dir, "gradcheck");
    const plot::Results conv_runs = plot::load(dir, "conv");
    const plot::Reference ref = plot::load_reference(dir);

    json summary;
    std::vector<plot::Target> targets;
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
    if (context.contains("blas_core")) {  // bench::start's context (benchmarks/common.hpp)
      const std::string chosen_by = context.value("blas_core_chosen_by", "");
      const std::string picked = context.value("blas_core_picked_by_openblas", "");
      summary["blas"] = {{"library", context.value("blas_library", "")},
                         {"version", context.value("blas_version", "")},
                         {"core", context.value("blas_core", "")},
                         {"core_chosen_by", chosen_by},
                         {"cores", context.value("blas_cores", "")}};
      if (!picked.empty()) summary["blas"]["core_picked_by_openblas"] = picked;
      std::cout << "BLAS: " << context.value("blas_library", "") << ' '
                << context.value("blas_version", "") << ", core " << context.value("blas_core", "")
                << " (chosen by " << chosen_by
                << (picked.empty() ? std::string() : "; OpenBLAS had picked " + picked) << "), "
                << context.value("blas_cores", "") << " cores\n";
    }
    if (ref.present) {
      summary["torch"] = ref.version;
      std::cout << "reference: PyTorch " << ref.version << " (reference-*.json)\n";
    }

    plot::complexity(complexity_runs, dir, targets, summary, warnings);
    plot::ops(ops_runs, dir);
    plot::dgemm(dgemm_runs, dir);
    plot::training(training_runs, dgemm_runs, ref, dir, targets, summary, warnings);
    plot::conv(conv_runs, ref, dir, summary);
    plot::checking(gradcheck_runs, ref, dir, targets, summary);

    if (!targets.empty()) {
      plot::Csv t({"target", "goal", "measured", "verdict"});
      for (const plot::Target& x : targets)
        t.add_row(plot::cells({x.what, x.goal, x.measured, x.verdict}));
      plot::write_table(dir, "table_targets", "The issue's targets, measured", t);
      plot::print_section("Targets", t);
      for (const plot::Target& x : targets)
        summary["targets"].push_back(
            {{"target", x.what}, {"goal", x.goal}, {"measured", x.measured}, {"verdict", x.verdict}});
    }
    gradlab::io::write_file_atomically(dir / "summary.json", summary.dump(1) + "\n");
    for (const std::string& w : warnings) std::cerr << "bench-plot: " << w << '\n';
    std::cout << "\nwrote " << (dir / "summary.json").string() << " and the tables and figures beside it\n";
    return warnings.empty() ? 0 : 1;
  });
}
