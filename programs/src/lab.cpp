#include "gradlab/programs/lab.hpp"

#include "gradlab/programs/blas.hpp"

#include "gradlab/fast/blas.hpp"
#include "gradlab/data/mnist.hpp"
#include "gradlab/data/split.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace gradlab::lab {

namespace {
bool quick_process = false;  // set by finish_options (or set_quick_run)
}  // namespace

bool quick_run() { return quick_process; }
void set_quick_run(bool quick) { quick_process = quick; }

void add_options(CLI::App& app, LabOptions& o) {
  app.add_option("--data", o.data, "MNIST folder (else $GRADLAB_DATA, else data/mnist)");
  app.add_option("--out", o.out, "results folder (default out/" + o.name + ")");
  app.add_option("--seed", o.seed, "the first seed");
  app.add_option("--seeds", o.seeds, "repeat over this many seeds and report mean +- std");
  auto* quick = app.add_flag("--quick")->description("small subsets and few epochs (the default)");
  auto* full = app.add_flag("--full", o.full, "the report's full size");
  quick->excludes(full);
  app.add_option("--threads", o.threads, "BLAS threads (0: by the size of the products, one thread for small batches; see gradlab/fast/blas.hpp)");
}

void finish_options(LabOptions& o) {
  if (o.out.empty()) o.out = std::filesystem::path("out") / o.name;
  if (o.seeds < 1) throw std::invalid_argument("--seeds must be at least 1 (got " + std::to_string(o.seeds) + ")");
  if (o.threads < 0) throw std::invalid_argument("--threads must be 0 or more");
  try {
    // One name per process: the cells of a grid may start side by side in one folder.
    const std::filesystem::path probe = o.out / (".write-test-" + std::to_string(::getpid()));
    io::write_file_atomically(probe, "");
    std::filesystem::remove(probe);
  } catch (const std::exception& e) {
    throw std::invalid_argument("--out " + o.out.string() + " cannot be written: " + e.what());
  }
  // A skip recorded by an earlier run no longer holds: this run writes its own, if it skips.
  std::error_code ignored;
  std::filesystem::remove(o.out / "status.json", ignored);
  set_quick_run(!o.full);
  // 0: the thread policy by size (gradlab/fast/blas.hpp); n: n threads everywhere.
  gradlab::fast::blas::fix_threads(o.threads);
  if (o.threads > 0) gradlab::fast::blas::set_threads(o.threads);
  o.progress = ::isatty(STDERR_FILENO) != 0;
  // Each finished run's line appears when printed, also when the output goes to a file (a long
  // --full run followed with tail -f).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
}

std::vector<std::uint64_t> seeds(const LabOptions& o) {
  std::vector<std::uint64_t> s;
  for (int i = 0; i < o.seeds; ++i) s.push_back(o.seed + static_cast<std::uint64_t>(i));
  return s;
}

std::optional<MnistSets> load_mnist_or_skip(const LabOptions& o, arma::uword train_size,
                                            arma::uword validation_size, std::uint64_t split_seed,
                                            const WithoutMnist& part) {
  // Skipped only when no folder was named and the default one lacks the files (offline): a
  // folder the user named with --data or GRADLAB_DATA, or a file that is there but broken, is an
  // error that stops the lab.
  const data::DataFolder folder = data::resolve_data_folder(o.data);
  bool present = true;  // no mirror given: this only looks
  try {
    data::ensure_mnist_files(folder.path, {}, data::mnist_files(), nullptr);
  } catch (const data::DataUnavailable&) {
    present = false;
  }
  const bool downloading = !present && data::downloads_allowed();
  // A download can take minutes on a slow network: say so first, in one line; the mirrors' and
  // files' lines stay out of the way.
  if (downloading)
    std::cout << "MNIST: not in " << folder.path.string() << ", downloading it ("
              << data::no_download_environment_variable << "=1 skips the download)" << std::endl;
  std::ostringstream attempts;
  data::Mnist mnist;
  try {
    mnist = data::load_mnist(o.data, data::default_mnist_mirrors(), &attempts);
  } catch (const data::DataUnavailable& e) {
    if (folder.source != "default") throw;
    if (downloading) std::cout << "MNIST: the download failed: " << e.reason << '\n';
    const bool whole = part.ran.empty();
    std::cout << o.name << ": " << (whole ? "" : part.not_run + " ") << "skipped: no MNIST (" << mnist_how << ")"
              << (whole ? "" : "; " + part.ran + " runs") << std::endl;
    nlohmann::json status = {{"lab", o.name},
                             {"mode", o.full ? "full" : "quick"},
                             {"status", whole ? "skipped" : "partial"},
                             {"skipped", "no MNIST"},
                             {"reason", e.reason},
                             {"how", mnist_how},
                             {"needs", "a folder with MNIST's four files, train-images-idx3-ubyte, "
                                       "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                                       "t10k-labels-idx1-ubyte, gzipped or not"}};
    if (!whole) {
      status["ran"] = part.ran;
      status["not_run"] = part.not_run;
    }
    io::write_file_atomically(o.out / "status.json", status.dump(2) + "\n");
    return std::nullopt;
  }
  if (downloading) std::cout << "MNIST: downloaded into " << folder.path.string() << '\n';
  Rng rng(split_seed);
  data::Splits s = data::split_train_validation_test(mnist.train, mnist.test, train_size,
                                                     validation_size, rng);
  return MnistSets{std::move(s.train), std::move(s.validation), std::move(s.test)};
}

Comparison::Comparison(std::string title) : title_(std::move(title)) {}

void Comparison::add(const std::string& quantity, const std::string& report, const std::string& ours,
                     const std::string& note) {
  std::string n = note;
  if (quick_run() && !report.empty() && report != "-") {
    // The mark first; a note that already says "quick mode: ..." goes on after it.
    for (const char* said : {"quick mode: ", "quick: "})
      if (n.rfind(said, 0) == 0) n = n.substr(std::char_traits<char>::length(said));
    n = std::string(quick_mark) + (n.empty() ? "" : "; " + n);
  }
  rows_.push_back({quantity, report, ours, n, ""});
}

void Comparison::add_measured(const std::string& quantity, double report, const std::vector<double>& ours,
                              bool as_percent, int decimals, const std::string& note) {
  const double scale = as_percent ? 100.0 : 1.0;
  const std::string unit = as_percent ? " points" : "";
  const std::string report_text = text::number(scale * report) + (as_percent ? "%" : "");
  std::string difference = "-";
  if (!ours.empty()) {
    const arma::vec v(ours);
    const double d = scale * (arma::mean(v) - report);
    const std::string signed_d = (d >= 0 ? "+" : "") + text::fixed(d, decimals) + unit;
    if (!std::isfinite(d)) {
      difference = "-";
    } else if (v.n_elem == 1) {
      difference = signed_d + "; one seed, no sd: not judged";
    } else {
      const double sd = scale * arma::stddev(v);
      const bool beyond = std::abs(d) > sd;
      const std::string in_sd = sd > 0 ? text::fixed(std::abs(d) / sd, 1) + " sd" : "sd 0";
      difference = std::string(beyond ? beyond_sd : "within 1 sd") + ": " + signed_d + " (" + in_sd + ")";
    }
  }
  add(quantity, report_text, mean_std(ours, as_percent, decimals), note);
  rows_.back()[4] = difference;
  measured_ = true;
}

std::vector<std::string> Comparison::header() const {
  if (measured_) return {"quantity", "report", "ours", "ours - report", "note"};
  return {"quantity", "report", "ours", "note"};
}

std::vector<std::string> Comparison::cells(const std::vector<std::string>& r) const {
  if (measured_) return {r[0], r[1], r[2], r[4], r[3]};
  return {r[0], r[1], r[2], r[3]};
}

void Comparison::print() const {
  std::cout << '\n' << title_ << '\n';
  text::Table table(header());
  for (const auto& r : rows_) table.add_row(cells(r));
  table.print(std::cout);
}

void Comparison::write(const std::filesystem::path& folder, const std::string& file) const {
  output::Csv csv(header());
  for (const auto& r : rows_) csv.add_row(cells(r));  // cells with commas or quotes are quoted
  csv.write(folder / file);
  io::write_file_atomically(folder / (file + ".title"), title_ + "\n");
}

nlohmann::json Comparison::json() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : rows_) {
    nlohmann::json row = {{"quantity", r[0]}, {"report", r[1]}, {"ours", r[2]}, {"note", r[3]}};
    if (measured_) row["ours_minus_report"] = r[4];
    rows.push_back(row);
  }
  return {{"title", title_}, {"rows", rows}};
}

std::string percent(double fraction, int decimals) {
  return fraction == fraction ? text::fixed(100.0 * fraction, decimals) + "%" : "-";
}

std::string mean_std(const std::vector<double>& values, bool as_percent, int decimals) {
  if (values.empty()) return "-";
  const arma::vec v(values);
  const double scale = as_percent ? 100.0 : 1.0;
  const double sd = v.n_elem > 1 ? arma::stddev(v) : 0.0;
  std::string s = text::fixed(scale * arma::mean(v), decimals);
  if (v.n_elem > 1) s += " +- " + text::fixed(scale * sd, decimals);
  return s + (as_percent ? "%" : "");
}

output::Figure history_figure(const std::string& name, const std::string& title, const std::string& csv,
                              bool with_validation, const std::string& outcome,
                              const std::string& loss_name, int epochs) {
  output::Figure f;
  f.name = name;
  f.title = outcome == "completed" ? title : title + " (" + outcome + ")";
  f.xlabel = "epoch";
  f.ylabel = "accuracy (%)";
  f.y2label = loss_name == "mse" ? "loss: mean squared error (log scale)"
                                 : "loss: " + (loss_name == "ce" ? std::string("cross-entropy") : loss_name) +
                                       " in nats per sample (log scale)";
  f.commands = {"set yrange [*:100]", "set logscale y2"};
  auto acc = [&](const std::string& column, const std::string& label, const std::string& style) {
    return output::Series{csv, "epoch", "(100*column('" + column + "'))", label, "lines", style, ""};
  };
  auto loss = [&](const std::string& column, const std::string& label, const std::string& style) {
    return output::Series{csv, "epoch", column, label, "lines", style + " axes x1y2", ""};
  };
  f.series = {acc("train_accuracy", "train accuracy", "lw 2 lc rgb '#1f77b4'"),
              acc("test_accuracy", "test accuracy", "lw 2 lc rgb '#d62728'"),
              loss("train_loss", "train loss", "dt 2 lw 2 lc rgb '#1f77b4'"),
              loss("test_loss", "test loss", "dt 2 lw 2 lc rgb '#d62728'")};
  if (with_validation) {
    f.series.push_back(acc("validation_accuracy", "validation accuracy", "lw 2 lc rgb '#2ca02c'"));
    f.series.push_back(loss("validation_loss", "validation loss", "dt 2 lw 2 lc rgb '#2ca02c'"));
  }
  if (outcome == "diverged")
    f.commands.push_back("set label 1 'DIVERGED: the loss became non-finite' at graph 0.5,0.5 center tc rgb 'red' font ',14'");
  epoch_axis(f, epochs);
  return f;
}

output::Figure curves_figure(const std::string& name, const std::string& title, const std::string& ylabel,
                             const std::string& column, const std::vector<Curve>& curves, bool as_percent,
                             int epochs) {
  static const char* const colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf"};
  output::Figure f;
  f.name = name;
  f.title = title;
  f.xlabel = "epoch";
  f.ylabel = ylabel;
  const std::string value = as_percent ? "100*column('" + column + "')" : "column('" + column + "')";
  for (std::size_t i = 0; i < curves.size(); ++i)
    f.series.push_back({curves[i].csv, "epoch", "(strcol('status') eq 'diverged' ? 1/0 : " + value + ")",
                        curves[i].title, "linespoints",
                        "lw 2 pt 7 ps 0.6 lc rgb '" + std::string(colours[i % std::size(colours)]) + "'" +
                            (curves[i].dashed ? " dt 2" : ""),
                        ""});
  epoch_axis(f, epochs);
  return f;
}

void epoch_axis(output::Figure& f, int epochs) {
  if (epochs <= 0) return;
  f.commands.push_back("set xrange [0:" + std::to_string(epochs) + "]");
  if (epochs <= 20) f.commands.push_back("set xtics 1");
}

std::vector<std::size_t> choose(const std::vector<std::string>& names, const std::string& chosen,
                                const std::string& option) {
  std::vector<std::size_t> picked;
  if (chosen.empty()) {
    for (std::size_t k = 0; k < names.size(); ++k) picked.push_back(k);
    return picked;
  }
  std::stringstream in(chosen);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name.empty()) continue;
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      std::string all;
      for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
      throw std::invalid_argument(option + ": no run named '" + name + "' (the runs: " + all + ")");
    }
    picked.push_back(static_cast<std::size_t>(it - names.begin()));
  }
  return picked;
}

void render_or_warn(const output::Figure& figure, const std::filesystem::path& folder) {
  try {
    if (quick_run()) {
      output::Figure marked = figure;
      marked.note = figure.note.empty() ? quick_mark : figure.note + "; " + quick_mark;
      output::render(marked, folder);
      return;
    }
    output::render(figure, folder);
  } catch (const std::runtime_error& e) {
    std::cout << "figure not rendered: " << e.what() << '\n';
  }
}

void write_summary(const LabOptions& o, const nlohmann::json& summary) {
  nlohmann::json j = summary;
  j["lab"] = o.name;
  j["seed"] = o.seed;
  j["seeds"] = o.seeds;
  j["mode"] = o.full ? "full" : "quick";
  j["blas"] = blas_report();
  io::write_file_atomically(o.out / "summary.json", j.dump(2) + "\n");
}

}  // namespace gradlab::lab
