// lab-momentum: report 000 (Université Paris-Saclay, Deep Learning Report), its Figs. 3-9.
// MNIST split 40,000 train / 10,000 validation (from the training file) / 10,000 test (the test
// file); Glorot-uniform weights, zero biases; ReLU hidden layers; softmax cross-entropy;
// momentum SGD for 20 epochs, one update per sample (batch 1) as the report's code does:
//   784-100-100-10, learning rate {0.01, 0.001} x momentum {0.1, 0.5, 0.9}   (Figs. 3-8)
//   784-200-150-100-50-25-10-10 (six hidden layers), lr 0.001, momentum 0.3:
//       validation accuracy 97.99%                                           (Fig. 9)
// The report gives that one number; its other findings are read from its text ("overfitting"
// in Figs. 3 and 5, "unstable" in Fig. 7, ...) and set beside what is measured here.
// A cell of the grid (gradlab/programs/sweep.hpp) is one run and one seed; it writes its history
// after every epoch into out/lab-momentum/cells/<run>-seed-<s>/. The merge writes one figure per
// run titled as the report's, two overview figures, comparison.csv and summary.json.
#include "report.hpp"

#include "gradlab/programs/sweep.hpp"

#include "gradlab/data/dataset.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/run.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>

using namespace gradlab;
using json = nlohmann::json;
using namespace lab_momentum;

namespace {

std::string number(double value) { return text::number(value); }

std::vector<Experiment> experiments(arma::uword batch, int epochs, bool quick) {
  train::RunConfig base;
  base.arch = {784, 100, 100, 10};
  base.activation = "relu";
  base.loss = "ce";
  base.init = "glorot";  // U(-a, a), a = sqrt(6 / (fan_in + fan_out)); biases 0
  base.optimizer = "sgd";
  base.batch = batch;
  base.epochs = epochs;
  // A quick run's few epochs drawn from epoch 0, four points an epoch; a full run once an epoch.
  base.evals_per_epoch = quick ? 4 : 1;
  base.evaluate_at_start = quick;
  // The report's figures in its order: Figs. 3-8 alternate the two rates at each momentum.
  struct Pair {
    double lr, momentum;
    const char* figure;
    const char* claim;
  };
  const Pair pairs[] = {
      {0.01, 0.1, "Fig. 3", "overfitting (text on Figs. 3 and 5); a rate too high overshoots"},
      {0.001, 0.1, "Fig. 4", "0.001 a reasonable starting point (text on Figs. 4 and 6)"},
      {0.01, 0.5, "Fig. 5", "overfitting (text on Figs. 3 and 5)"},
      {0.001, 0.5, "Fig. 6", "0.001 a reasonable starting point (text on Figs. 4 and 6)"},
      {0.01, 0.9, "Fig. 7", "high rate + high momentum: unstable training"},
      {0.001, 0.9, "Fig. 8", "momentum too high: memorises the training data, overfits"}};
  std::vector<Experiment> list;
  for (const Pair& p : pairs) {
    Experiment e{"lr" + number(p.lr) + "-m" + number(p.momentum), p.figure,
                 "Accuracy and Loss vs. Epochs [lr: " + number(p.lr) + ", momentum: " + number(p.momentum) + "]",
                 p.claim, base};
    e.config.lr = p.lr;
    e.config.momentum = p.momentum;
    list.push_back(e);
  }
  Experiment deep{"deep", "Fig. 9",
                  "Accuracy and Loss vs. Epochs [6 hidden layers 200-150-100-50-25-10, lr: 0.001, momentum: 0.3]",
                  "validation accuracy 97.99%", base};
  deep.config.arch = {784, 200, 150, 100, 50, 25, 10, 10};
  deep.config.lr = 0.001;
  deep.config.momentum = 0.3;
  list.push_back(deep);
  return list;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Report 000's Figs. 3-9: momentum SGD on MNIST, learning rate x momentum, then a six-layer net.",
               "lab-momentum"};
  lab::LabOptions options;
  options.name = "lab-momentum";
  lab::add_options(app, options);
  lab::add_sweep_options(app, options);
  arma::uword batch = 0;
  int epochs = 0;
  std::string only;
  app.add_option("--batch", batch, "mini-batch size (default: 1 with --full, as the report; 32 quick)")
      ->check(CLI::PositiveNumber);
  app.add_option("--epochs", epochs, "epochs per run (default: 20 with --full, as the report; 3 quick)")
      ->check(CLI::PositiveNumber);
  app.add_option("--runs", only, "only these runs, comma-separated: lr0.01-m0.1, ..., lr0.001-m0.9, deep");
  return run_main(app, argc, argv, [&] {
    if (batch == 0) batch = options.full ? 1 : 32;
    if (epochs == 0) epochs = options.full ? 20 : 3;
    std::vector<Experiment> list;
    {
      const std::vector<Experiment> all = experiments(batch, epochs, !options.full);
      std::vector<std::string> names;
      for (const Experiment& e : all) names.push_back(e.key);
      for (std::size_t k : lab::choose(names, only, "--runs")) list.push_back(all[k]);
    }
    lab::finish_options(options);
    // The report's split, or in quick mode a small one drawn the same way; the split is drawn
    // from the first seed and shared by every run and seed.
    const arma::uword n_train = options.full ? 40000 : 5000, n_validation = options.full ? 10000 : 1000,
                      n_test = options.full ? 10000 : 1000;
    const std::string mode = options.full ? "full" : "quick";

    lab::Sweep sweep;
    for (const Experiment& ex : list)
      for (std::uint64_t seed : lab::seeds(options))
        sweep.cells.push_back({ex.key + "-seed-" + std::to_string(seed),
                               {{"run", ex.key}, {"seed", seed}, {"batch", batch}, {"epochs", epochs}},
                               ex.key == "deep" ? 2.0 : 1.0});  // about twice the small net's time
    std::optional<lab::MnistSets> sets;
    sweep.prepare = [&] {
      sets = lab::load_mnist_or_skip(options, n_train, n_validation, options.seed);
      if (!sets) return false;  // skipped: its one line said so, status.json says why
      if (sets->test.size() > n_test) sets->test = data::subset(sets->test, n_test);
      std::cout << "lab-momentum (report 000): " << mode << " mode, " << sets->train.size() << " train / "
                << sets->validation.size() << " validation / " << sets->test.size() << " test images, batch "
                << batch << ", " << epochs << " epochs, " << options.seeds << " seed" << (options.seeds > 1 ? "s" : "")
                << ", results in " << options.out.string() << '\n';
      return true;
    };
    auto experiment = [&](const std::string& key) -> const Experiment& {
      return *std::find_if(list.begin(), list.end(), [&](const Experiment& e) { return e.key == key; });
    };

    sweep.run = [&](const lab::Cell& cell, const std::filesystem::path& folder) -> json {
      const Experiment& ex = experiment(cell.settings["run"]);
      train::RunConfig c = ex.config;
      c.seed = cell.settings["seed"];
      c.label = ex.key + ", seed " + std::to_string(c.seed);
      // history.csv after every evaluation, summary.json at the end, into the cell's folder.
      const train::History h = train::run(c, {&sets->train, &sets->validation, &sets->test}, {folder, {}, {}, {}},
                                          &interrupt_flag(), options.progress);
      const train::Evaluation& e = h.last();
      std::cout << "  " << ex.figure << " " << c.label << ": train " << lab::percent(e.train.accuracy, 2)
                << ", validation " << lab::percent(e.validation.accuracy, 2) << ", test "
                << lab::percent(e.test.accuracy, 2) << ", test loss " << text::sci(e.test.loss, 3) << " ("
                << text::fixed(e.seconds, 1) << " s"
                << (h.outcome == train::Outcome::completed ? "" : ", " + std::string(train::to_string(h.outcome)))
                << ")" << std::endl;
      return {{"reading", read(h)},
              {"config", train::to_json(c)},
              {"summary", lab::without_times(h.summary())},  // times: in the cell's summary.json
              {"data", {{"train", sets->train.size()}, {"validation", sets->validation.size()},
                        {"test", sets->test.size()}, {"split_seed", options.seed}}}};
    };

    sweep.merge = [&](const std::vector<lab::CellResult>& cells) {
      std::vector<Runs> results;
      for (const Experiment& ex : list) {
        Runs r{&ex, {}};
        for (const lab::CellResult& c : cells)
          if (c.cell.settings["run"] == ex.key) r.seeds.push_back(&c);
        if (!r.seeds.empty()) results.push_back(r);
      }
      const json& data = cells.front().result["data"];
      auto first_seed = [&](const Runs& r) {
        return r.seeds.front()->cell.settings["seed"] == options.seed ? r.seeds.front() : nullptr;
      };
      // The report's figure of each run (its first seed), then the six pairs on one figure each.
      std::vector<lab::Curve> curves;
      for (const Runs& r : results) {
        const lab::CellResult* first = first_seed(r);
        if (first == nullptr) continue;
        const std::string csv = first->file(lab::cell_history), outcome = first->result["reading"]["outcome"];
        lab::render_or_warn(lab::history_figure("accuracy-loss-" + r.experiment->key, r.experiment->title, csv, true,
                                                outcome, "cross-entropy", epochs),
                            options.out);
        const train::RunConfig& c = r.experiment->config;
        if (r.experiment->key != "deep")
          curves.push_back({csv, "lr " + number(c.lr) + ", momentum " + number(c.momentum) +
                                     (outcome == "diverged" ? " (DIVERGED)" : ""),
                            c.lr < 0.005});
      }
      const std::string grid = ", 784-100-100-10, learning rate x momentum (seed " + std::to_string(options.seed) + ")";
      if (!curves.empty()) {
        lab::render_or_warn(lab::curves_figure("overview-test-accuracy", "Test accuracy vs. epochs" + grid,
                                               "test accuracy (%)", "test_accuracy", curves, true, epochs),
                            options.out);
        lab::render_or_warn(lab::curves_figure("overview-test-loss", "Test loss vs. epochs" + grid,
                                               "test loss (cross-entropy, nats)", "test_loss", curves, false, epochs),
                            options.out);
      }

      lab::Comparison table = comparison(results, options, batch, epochs, data);
      table.print();
      table.write(options.out);

      json configs = json::array();
      for (const Experiment& e : list) configs.push_back({{"run", e.key}, {"figure", e.figure}, {"title", e.title}});
      return json{{"report", "000"},         {"data", data},
                  {"batch", batch},          {"epochs", epochs},
                  {"report_figures", {{"fig9_validation_accuracy", 0.9799}}},
                  {"experiments", configs}, {"table", table.json()}};
    };
    return lab::run_sweep(options, sweep);
  });
}
