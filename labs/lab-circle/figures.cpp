// lab-circle's figures: the training loss of Q10 (against epochs and against updates) and of
// Q11, the final accuracy against the learning rate, and each first-seed run's decision boundary.
// They draw the CSV files the cells wrote (cells/<id>/history.csv, boundary.csv,
// test-points.csv); only accuracy-learning-rates.csv is written here.
#include "report.hpp"

#include "gradlab/data/synthetic.hpp"
#include "gradlab/text.hpp"

using namespace gradlab;
using json = nlohmann::json;

namespace lab_circle {

namespace {

// The boundary grid: (n + 1)^2 points over [lo, hi]^2.
constexpr int grid_n = 180;
constexpr double grid_lo = -2.25, grid_hi = 2.25;

const std::vector<std::string> palette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                          "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

const json& reading(const lab::CellResult& cell) { return cell.result["reading"]; }
bool diverged(const lab::CellResult& cell) { return reading(cell)["outcome"] == "diverged"; }
double value(const json& j) { return j.is_number() ? j.get<double>() : arma::datum::nan; }  // null: not finite

// A loss series that stops before a diverged row (whose loss is not finite): a diverged run is
// marked in its legend entry and drawn with open circles (so even one finite point shows), not
// drawn as garbage.
output::Series loss_series(const std::string& csv, const std::string& x, const std::string& title,
                           const std::string& style, bool diverged) {
  return {csv, x, "(strcol('status') eq 'diverged' ? 1/0 : column('train_loss'))", title,
          diverged ? "linespoints" : "lines", style + (diverged ? " pt 6 ps 1.2" : ""), ""};
}

// A run's legend entry: its label, and where it diverged.
std::string legend(const Outcome& o) {
  if (diverged(*o.first))
    return o.setting.label + ": DIVERGED at epoch " + text::number(value(reading(*o.first)["epoch"])) +
           " (not drawn after)";
  return o.setting.label;
}

// The training loss of the first seed's runs of some settings, one colour each (by its place
// among the settings, so that a missing run does not change the others' colours).
output::Figure loss_figure(const Outcomes& results, const std::vector<Setting>& settings, bool with_rises) {
  output::Figure f;
  f.ylabel = "training loss (cross-entropy, nats)";
  f.logy = true;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const auto it = results.find(settings[i].key);
    if (it == results.end() || it->second.first == nullptr) continue;
    const Outcome& o = it->second;
    std::string title = legend(o);
    const int rises = reading(*o.first)["loss_rises"];
    if (with_rises && !diverged(*o.first) && rises > 0)
      title += " (loss rose in " + std::to_string(rises) + " epochs)";
    f.series.push_back(loss_series(o.first->file(lab::cell_history), "epoch", title,
                                   "lw 2 lc rgb '" + palette[i] + "'", diverged(*o.first)));
  }
  return f;
}

void boundary_figure(const lab::CellResult& cell, const std::string& key, const std::string& title,
                     const std::filesystem::path& out) {
  output::Figure f;
  f.name = "boundary-" + key;
  f.title = title;
  f.xlabel = "x1 (coordinate, no unit)";
  f.ylabel = "x2 (coordinate, no unit)";
  f.width = 700;
  f.height = 700;
  const std::string range = "[" + text::number(grid_lo) + ":" + text::number(grid_hi) + "]";
  f.commands = {"set size ratio -1", "set xrange " + range, "set yrange " + range,
                "set palette defined (0 '#fde0dd', 1 '#deebf7')", "unset colorbox",
                "set key outside bottom center horizontal",
                "set object 1 circle at 0,0 size " + text::number(data::circles_inner_radius) +
                    " front fillstyle empty border lc rgb '#555555' dt 2 lw 1",
                "set object 2 circle at 0,0 size " + text::number(data::circles_ring_inner) +
                    " front fillstyle empty border lc rgb '#555555' dt 2 lw 1"};
  const std::string points = cell.file(points_file);
  f.series = {{cell.file(boundary_file), "x1", "x2", "predicted class (shading)", "image", "", "class"},
              {points, "x1", "(column('label') == 1 ? column('x2') : 1/0)", "test class 1 (ring)", "points",
               "pt 7 ps 0.5 lc rgb '#08519c'", ""},
              {points, "x1", "(column('label') == 0 ? column('x2') : 1/0)", "test class 0 (disk)", "points",
               "pt 7 ps 0.5 lc rgb '#cb181d'", ""}};
  lab::render_or_warn(f, out);
}

}  // namespace

output::Csv boundary_grid(const std::function<arma::uvec(const arma::mat& points)>& classify) {
  output::Csv grid({"x1", "x2", "class"});
  arma::mat points(2, grid_n + 1);
  for (int i = 0; i <= grid_n; ++i) {
    const double x1 = grid_lo + (grid_hi - grid_lo) * i / grid_n;
    for (int j = 0; j <= grid_n; ++j) points.col(j) = arma::vec{x1, grid_lo + (grid_hi - grid_lo) * j / grid_n};
    const arma::uvec predicted = classify(points);
    for (int j = 0; j <= grid_n; ++j)
      grid.add_row(std::vector<double>{x1, points(1, j), static_cast<double>(predicted(j))});
  }
  return grid;
}

output::Csv test_points(const data::Dataset& test_set) {
  output::Csv points({"x1", "x2", "label"});
  for (arma::uword k = 0; k < test_set.size(); ++k)
    points.add_row(std::vector<double>{test_set.X(0, k), test_set.X(1, k), static_cast<double>(test_set.labels(k))});
  return points;
}

void draw_figures(const Outcomes& results, const Context& c) {
  const std::filesystem::path& out = c.options.out;
  const std::string seed_text = "seed " + std::to_string(c.options.seed);
  const std::string rate = text::number(c.eta);
  if (output::Figure f = loss_figure(results, c.modes, false); !f.series.empty()) {
    f.name = "loss-batch-modes";
    f.title = "Q10 on the Circle set: training loss, full batch vs mini-batch vs online (2-4-2 tanh, lr " + rate +
              ", " + seed_text + ")";
    f.xlabel = "epoch (passes over the " + std::to_string(c.n_train) + " training points)";
    lab::render_or_warn(f, out);
    f.name = "loss-batch-modes-steps";
    f.title = "Q10 on the Circle set: the same runs against parameter updates (lr " + rate + ", " + seed_text + ")";
    f.xlabel = "parameter updates (gradient steps, log scale)";
    f.logx = true;
    for (output::Series& s : f.series) {
      s.x = "(column('step') > 0 ? column('step') : 1/0)";
      if (s.style == "lines") {
        s.style = "linespoints";
        s.extra += " pt 7 ps 0.3";
      }
    }
    lab::render_or_warn(f, out);
  }
  if (output::Figure f = loss_figure(results, c.rates, true); !f.series.empty()) {
    f.name = "loss-learning-rates";
    f.title = "Q11 on the Circle set: full-batch gradient descent at 7 learning rates (" + seed_text + ")";
    f.xlabel = "epoch (= gradient steps: one per epoch in full batch)";
    f.width = 1150;
    lab::render_or_warn(f, out);
  }
  {
    // Final accuracy against the learning rate (diverged runs have no point).
    output::Csv csv({"learning_rate", "train_accuracy", "test_accuracy"});
    for (const Setting& s : c.rates) {
      const auto it = results.find(s.key);
      if (it == results.end() || it->second.train_acc.empty()) continue;
      csv.add_row(std::vector<double>{s.eta, 100.0 * arma::mean(arma::vec(it->second.train_acc)),
                                      100.0 * arma::mean(arma::vec(it->second.test_acc))});
    }
    csv.write(out / "accuracy-learning-rates.csv");
    const int seeds = c.options.seeds;
    output::Figure f;
    f.name = "accuracy-learning-rates";
    f.title = "Q11: final accuracy after " + std::to_string(c.epochs) + " epochs of full-batch descent (mean over " +
              std::to_string(seeds) + (seeds == 1 ? " seed" : " seeds") + ")";
    f.xlabel = "learning rate (log scale)";
    f.ylabel = "accuracy (%)";
    f.logx = true;
    f.commands = {"set yrange [0:105]", "set format x '%g'"};
    f.series = {{"accuracy-learning-rates.csv", "learning_rate", "train_accuracy", "train accuracy", "linespoints",
                 "lw 2 pt 7 lc rgb '#1f77b4'", ""},
                {"accuracy-learning-rates.csv", "learning_rate", "test_accuracy", "test accuracy", "linespoints",
                 "lw 2 pt 5 lc rgb '#d62728'", ""}};
    if (csv.rows() > 0) lab::render_or_warn(f, out);
  }
  for (const auto& [key, o] : results) {
    if (o.first == nullptr) continue;
    const json& r = reading(*o.first);
    const std::string test = lab::percent(value(r["test_acc"]));
    // (An SVM's settings are in the table: a shorter title.)
    boundary_figure(*o.first, key,
                    (!o.setting.features.empty()
                         ? "Decision boundary, " + o.setting.label + ": test " + test
                         : "Decision boundary, " + o.setting.description + ": test " + test + " after " +
                               text::number(value(r["epoch"])) + " epochs") +
                        " (" + seed_text + ")",
                    out);
  }
}

}  // namespace lab_circle
