#pragma once
// lab-circle's tables and figures, made from its finished runs (main.cpp runs them as the cells
// of a grid): the gradient checks at the trained weights (report.cpp), the final-accuracy table,
// svm-accuracy.csv and the comparison with report 004 (report.cpp), and the loss, accuracy and
// decision-boundary figures (figures.cpp).
#include "gradlab/data/dataset.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/programs/sweep.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lab_circle {

// One setting of the grid: a network run (Q10, Q11) or an SVM, each run once per seed.
struct Setting {
  std::string key;          // the cells' stem: "full-batch", "lr-0.3", "svm-raw"
  std::string label;        // legend: "full batch (B = 200)", "lr 0.3"
  arma::uword batch;
  double eta;
  std::string description;  // both settings in words: "full batch (B = 200), lr 0.1"
  std::string features;     // the SVM's feature map ("raw", "radius", "fourier"); empty: the network
};

// The lab's settings, as the tables and figures name them.
struct Context {
  const gradlab::lab::LabOptions& options;
  int epochs;
  arma::uword n_train, n_test, mini_batch;
  double eta, svm_eta, svm_lambda;
  std::vector<Setting> modes, rates, svms;  // Q10, Q11, the SVMs
};

// A setting over the seeds whose cells finished.
struct Outcome {
  Setting setting;
  std::vector<double> train_loss, train_acc, test_acc;  // the runs that did not diverge
  std::vector<double> seconds;                          // each run's wall time (printed only)
  std::vector<int> rises, to_99;                        // one per run, in seed order
  int diverged = 0;
  std::string diverged_note;                            // the first diverged run's
  const gradlab::lab::CellResult* first = nullptr;      // the first seed's run (figures, checks)
};
using Outcomes = std::map<std::string, Outcome>;  // by setting key; settings with no finished run left out

// What a first-seed cell writes for its decision-boundary figure, into its folder: the class
// its model gives on a grid over the plane (classify: points 2 x n -> their classes), and the
// seed's test points.
inline constexpr const char* boundary_file = "boundary.csv";
inline constexpr const char* points_file = "test-points.csv";
gradlab::output::Csv boundary_grid(const std::function<arma::uvec(const arma::mat& points)>& classify);
gradlab::output::Csv test_points(const gradlab::data::Dataset& test_set);

// The figures of the first seed's runs, and accuracy-learning-rates (mean over the seeds).
void draw_figures(const Outcomes& results, const Context& c);

// Everything the merge writes but summary.json: gradcheck.json, the figures, svm-accuracy.csv,
// table-final-accuracy.csv, comparison.csv; returns what summary.json says. checks_failed is
// set when a gradient check at the trained weights failed.
nlohmann::json report(const std::vector<gradlab::lab::CellResult>& cells, const Context& c, bool& checks_failed);

}  // namespace lab_circle
