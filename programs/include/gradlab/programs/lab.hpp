#pragma once
// What every lab shares: its command-line options, the "report | ours" comparison table, the
// standard training-curve figures, and where its results go (out/<lab>/).
#include "gradlab/programs/cli.hpp"
#include "gradlab/data/dataset.hpp"
#include "gradlab/output/figure.hpp"
#include "gradlab/train/history.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::lab {

struct LabOptions {
  std::string name;                 // "lab-disk"
  std::string data;                 // --data: the MNIST folder (else GRADLAB_DATA, data/mnist)
  std::filesystem::path out;        // --out (default out/<name>)
  std::uint64_t seed = 1;           // --seed: the first seed
  int seeds = 1;                    // --seeds N: repeat over seeds seed .. seed+N-1
  bool full = false;                // --full (reproduce at the report's size) / --quick (default)
  int threads = 0;                  // --threads: BLAS threads (0: the policy by size, gradlab/fast/blas.hpp)
  bool progress = false;            // a progress line when stderr is a terminal
  // The runner's (gradlab/programs/sweep.hpp), for the labs that add its options:
  int jobs = 0;                     // --jobs: cells at a time (0: the number of cores)
  bool list_cells = false;          // --list-cells
  int cell = -1;                    // --cell K (-1: all)
  std::vector<std::filesystem::path> merge;  // --merge DIR...
};

// Adds --data, --out, --seed, --seeds, --quick, --full, --threads to app.
void add_options(CLI::App& app, LabOptions& options);

// After parsing: default out, checks (seeds >= 1, out writable), thread setting; removes a
// status.json an earlier skipped run left in out; marks the process as a quick run or not
// (quick_run() below). Throws std::invalid_argument naming the option at fault.
void finish_options(LabOptions& options);

// What every output of a quick run says: small subsets and few epochs are not the report's
// experiment. In a quick run (finish_options without --full, or set_quick_run(true)),
// render_or_warn writes it under every figure's title and Comparison puts it first in the note
// of every row that sets the report against ours (a row whose report column is not "-").
inline constexpr const char* quick_mark = "quick mode: not comparable with the report";
bool quick_run();
void set_quick_run(bool quick);

// The seeds a lab repeats over: seed, seed + 1, ...
std::vector<std::uint64_t> seeds(const LabOptions& options);

// Loads MNIST for a lab, or returns nothing when no folder was named (no --data, no GRADLAB_DATA)
// and data/mnist lacks the files and they cannot be downloaded (offline, or GRADLAB_NO_DOWNLOAD
// set). Skipping, it prints one line ("lab-momentum: skipped: no MNIST (pass --data DIR or set
// GRADLAB_DATA)") and writes out/<lab>/status.json saying why and how to run it; a lab that runs
// the parts that need no data names them in `part`. A named folder without the files, or a
// broken file, throws. A download is announced in one line, and its failure in another.
struct MnistSets {
  data::Dataset train, validation, test;
};
struct WithoutMnist {
  std::string ran;      // what still runs ("part 1 (...)"); empty: the whole lab is skipped
  std::string not_run;  // what does not ("part 2 (...)")
};
std::optional<MnistSets> load_mnist_or_skip(const LabOptions& options, arma::uword train_size,
                                            arma::uword validation_size, std::uint64_t split_seed,
                                            const WithoutMnist& part = {});

// How to give a lab MNIST, as the skip line and status.json say it.
inline constexpr const char* mnist_how = "pass --data DIR or set GRADLAB_DATA";

// "report | ours": one row per figure the report gives, printed as an aligned table and saved
// as out/<lab>/comparison.csv (which out/index.html shows). A table with a measured row (below)
// has a fifth column, "ours - report", between "ours" and "note".
class Comparison {
 public:
  explicit Comparison(std::string title);
  // report and ours are texts as printed ("83.8%", "80.3 +- 1.2%"); note explains a gap.
  void add(const std::string& quantity, const std::string& report, const std::string& ours,
           const std::string& note = "");
  // A number of the report against ours measured once per seed: ours shown as mean +- sd, and
  // "ours - report" the difference and how many sds it is. Beyond one sd the cell starts with
  // beyond_sd (out/index.html highlights the row); within, with "within 1 sd"; with one seed
  // there is no sd, and the cell says the difference is not judged. percent: the report and
  // ours are fractions, shown in % (the difference in points).
  void add_measured(const std::string& quantity, double report, const std::vector<double>& ours, bool percent,
                    int decimals = 2, const std::string& note = "");
  void print() const;
  void write(const std::filesystem::path& folder, const std::string& file = "comparison.csv") const;
  nlohmann::json json() const;

 private:
  std::vector<std::string> header() const;
  std::vector<std::string> cells(const std::vector<std::string>& row) const;
  std::string title_;
  std::vector<std::vector<std::string>> rows_;  // quantity, report, ours, note, ours - report
  bool measured_ = false;                        // some row has "ours - report"
};

// How the "ours - report" cell of a row beyond one sd starts (make-index keys its highlight on it).
inline constexpr const char* beyond_sd = "beyond 1 sd";

// mean +- std over values ("80.31 +- 1.20%" with percent true: values are fractions).
std::string mean_std(const std::vector<double>& values, bool percent, int decimals = 2);
std::string percent(double fraction, int decimals = 1);

// The figure "<title>" of a history.csv in folder: accuracy (left axis) and loss (right axis)
// against epochs, for the train and test (and validation, when present) columns. Diverged runs
// are marked in the title. The accuracy axis fits the curves (a run between 95% and 100% is not
// squashed against a 0-100 axis); the loss axis is logarithmic and names the loss (loss_name:
// "cross-entropy" or "mse").
// epochs > 0: the x axis runs from 0 to that many epochs, with a tick at every whole epoch up
// to 20 of them.
output::Figure history_figure(const std::string& name, const std::string& title,
                              const std::string& csv = "history.csv", bool with_validation = false,
                              const std::string& outcome = "completed",
                              const std::string& loss_name = "cross-entropy", int epochs = 0);

// One curve per run on one figure: a column of each run's history against the epoch (a
// diverged run's last, non-finite row left out), each in a colour of its own, dashed when asked,
// with markers, the legend outside the plot. percent: the column is a fraction, drawn in %.
struct Curve {
  std::string csv, title;
  bool dashed = false;
};
output::Figure curves_figure(const std::string& name, const std::string& title, const std::string& ylabel,
                             const std::string& column, const std::vector<Curve>& curves, bool percent,
                             int epochs = 0);

// The epoch axis of a figure: from 0 to `epochs`, a tick at every whole epoch up to 20 of them
// (gnuplot's own ticks fall on half epochs for short runs); nothing for epochs <= 0.
void epoch_axis(output::Figure& figure, int epochs);

// The names chosen with an option such as --runs "a,b" among a lab's names, as indices in the
// order given; all of them when `chosen` is empty. Throws std::invalid_argument naming the option
// and the names it takes.
std::vector<std::size_t> choose(const std::vector<std::string>& names, const std::string& chosen,
                                const std::string& option);

// Renders a figure into folder, or prints one line and goes on when gnuplot is missing. In a
// quick run the figure carries quick_mark under its title.
void render_or_warn(const output::Figure& figure, const std::filesystem::path& folder);

// Writes out/<lab>/summary.json atomically, with the lab's name, seeds and mode, and the BLAS
// (blas_report(), gradlab/programs/blas.hpp).
void write_summary(const LabOptions& options, const nlohmann::json& summary);

}  // namespace gradlab::lab
