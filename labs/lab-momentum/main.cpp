// lab-momentum: report 000 (Université Paris-Saclay, Deep Learning Report), its Figs. 3-9.
// MNIST split 40,000 train / 10,000 validation (from the training file) / 10,000 test (the test
// file); Glorot-uniform weights, zero biases; ReLU hidden layers; softmax cross-entropy;
// momentum SGD for 20 epochs, one update per sample (batch 1) as the report's code does:
//   784-100-100-10, learning rate {0.01, 0.001} x momentum {0.1, 0.5, 0.9}   (Figs. 3-8)
//   784-200-150-100-50-25-10-10 (six hidden layers), lr 0.001, momentum 0.3:
//       validation accuracy 97.99%                                           (Fig. 9)
// The report gives that one number; its other findings are read from its text ("overfitting"
// in Figs. 3 and 5, "unstable" in Fig. 7, ...) and set beside what is measured here.
// Writes out/lab-momentum/: a history CSV per run (after every epoch), one figure per run
// titled as the report's, two overview figures, comparison.csv and summary.json.
#include "gradlab/programs/lab.hpp"

#include "gradlab/data/dataset.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>
#include <sstream>

using namespace gradlab;

namespace {

struct Experiment {
  std::string key;      // "lr0.01-m0.9", "deep"
  std::string figure;   // the report's figure: "Fig. 7"
  std::string title;    // the report's figure title
  std::string claim;    // what the report says about it
  train::RunConfig config;
};

std::string number(double value) { return text::number(value); }

std::vector<Experiment> experiments(arma::uword batch, int epochs) {
  train::RunConfig base;
  base.arch = {784, 100, 100, 10};
  base.activation = "relu";
  base.loss = "ce";
  base.init = "glorot";  // U(-a, a), a = sqrt(6 / (fan_in + fan_out)); biases 0
  base.optimizer = "sgd";
  base.batch = batch;
  base.epochs = epochs;
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
    Experiment e;
    e.key = "lr" + number(p.lr) + "-m" + number(p.momentum);
    e.figure = p.figure;
    e.title = "Accuracy and Loss vs. Epochs [lr: " + number(p.lr) + ", momentum: " + number(p.momentum) + "]";
    e.claim = p.claim;
    e.config = base;
    e.config.lr = p.lr;
    e.config.momentum = p.momentum;
    list.push_back(e);
  }
  Experiment deep;
  deep.key = "deep";
  deep.figure = "Fig. 9";
  deep.title = "Accuracy and Loss vs. Epochs [6 hidden layers 200-150-100-50-25-10, lr: 0.001, momentum: 0.3]";
  deep.claim = "validation accuracy 97.99%";
  deep.config = base;
  deep.config.arch = {784, 200, 150, 100, 50, 25, 10, 10};
  deep.config.lr = 0.001;
  deep.config.momentum = 0.3;
  list.push_back(deep);
  return list;
}

// What a run's curves say, in the report's terms.
struct Reading {
  double train_acc, validation_acc, test_acc, best_validation_acc;
  double best_validation_epoch;
  double test_loss_min, test_loss_min_epoch, test_loss_final;
  int test_acc_drops = 0;  // epochs after which the test accuracy was lower than before
};

Reading read(const train::History& h) {
  Reading r{};
  const train::Evaluation& last = h.last();
  r.train_acc = last.train.accuracy;
  r.validation_acc = last.validation.accuracy;
  r.test_acc = last.test.accuracy;
  const train::Evaluation& best = h.best_by_validation();
  r.best_validation_acc = best.validation.accuracy;
  r.best_validation_epoch = best.epoch;
  r.test_loss_min = arma::datum::inf;
  r.test_loss_final = last.test.loss;
  for (std::size_t i = 0; i < h.evaluations.size(); ++i) {
    const train::Evaluation& e = h.evaluations[i];
    if (std::isfinite(e.test.loss) && e.test.loss < r.test_loss_min) {
      r.test_loss_min = e.test.loss;
      r.test_loss_min_epoch = e.epoch;
    }
    if (i > 0 && e.test.accuracy < h.evaluations[i - 1].test.accuracy) ++r.test_acc_drops;
  }
  return r;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

const std::vector<std::string> palette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                          "#9467bd", "#8c564b", "#17becf"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Report 000's Figs. 3-9: momentum SGD on MNIST, learning rate x momentum, then a six-layer net.",
               "lab-momentum"};
  lab::LabOptions options;
  options.name = "lab-momentum";
  lab::add_options(app, options);
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
    std::vector<Experiment> list = experiments(batch, epochs);
    if (!only.empty()) {
      std::vector<Experiment> chosen;
      for (const std::string& key : split_list(only)) {
        auto it = std::find_if(list.begin(), list.end(), [&](const Experiment& e) { return e.key == key; });
        if (it == list.end()) {
          std::string names;
          for (const Experiment& e : list) names += (names.empty() ? "" : ", ") + e.key;
          throw std::invalid_argument("--runs: no run named '" + key + "' (the runs: " + names + ")");
        }
        chosen.push_back(*it);
      }
      list = chosen;
    }
    lab::finish_options(options);
    interrupt_flag();

    // The report's split, or in quick mode a small one drawn the same way; the split is drawn
    // from the first seed and shared by every run and seed.
    const arma::uword n_train = options.full ? 40000 : 5000, n_validation = options.full ? 10000 : 1000,
                      n_test = options.full ? 10000 : 1000;
    std::optional<lab::MnistSets> sets = lab::load_mnist_or_skip(options, n_train, n_validation, options.seed);
    if (!sets) return 0;  // skipped: its one line said so, status.json says why
    if (sets->test.size() > n_test) sets->test = data::subset(sets->test, n_test);
    std::cout << "lab-momentum (report 000): " << (options.full ? "full" : "quick") << " mode, "
              << sets->train.size() << " train / " << sets->validation.size() << " validation / "
              << sets->test.size() << " test images, batch " << batch << ", " << epochs << " epochs, "
              << options.seeds << " seed" << (options.seeds > 1 ? "s" : "") << ", results in "
              << options.out.string() << '\n';

    struct Result {
      Experiment experiment;
      std::vector<Reading> readings;
      train::History first;  // the first seed's history
      int diverged = 0;
      double seconds = 0.0;
    };
    std::vector<Result> results;
    nlohmann::json runs = nlohmann::json::array();
    const auto lab_start = std::chrono::steady_clock::now();
    for (const Experiment& ex : list) {
      Result res{ex, {}, {}, 0, 0.0};
      for (std::uint64_t seed : lab::seeds(options)) {
        train::RunConfig c = ex.config;
        c.seed = seed;
        c.label = ex.key + ", seed " + std::to_string(seed);
        const std::string csv = ex.key + "-seed-" + std::to_string(seed) + ".csv";
        train::Model model = train::build(c);
        train::TrainOptions o;
        o.epochs = c.epochs;
        o.batch_size = c.batch;
        o.seed = seed;
        o.stop = &interrupt_flag();
        o.progress = options.progress;
        o.progress_label = c.label;
        o.on_evaluation = [&](const train::History& h) { h.to_csv().write(options.out / csv); };
        const train::History h = train::fit(model.net, *model.loss, *model.optimizer,
                                            {&sets->train, &sets->validation, &sets->test}, o);
        h.to_csv().write(options.out / csv);
        const train::Evaluation& e = h.last();
        std::cout << "  " << ex.figure << " " << ex.key << " seed " << seed << ": train "
                  << lab::percent(e.train.accuracy, 2) << ", validation " << lab::percent(e.validation.accuracy, 2)
                  << ", test " << lab::percent(e.test.accuracy, 2) << ", test loss " << text::sci(e.test.loss, 3)
                  << " (" << text::fixed(e.seconds, 1) << " s" << (h.outcome == train::Outcome::completed ? "" : ", " + std::string(train::to_string(h.outcome))) << ")"
                  << std::endl;  // flushed: a long run's log shows each run as it ends
        res.seconds += e.seconds;
        if (h.outcome == train::Outcome::diverged) ++res.diverged;
        res.readings.push_back(read(h));
        runs.push_back({{"run", ex.key}, {"figure", ex.figure}, {"seed", seed}, {"config", train::to_json(c)},
                        {"result", h.summary()}});
        if (seed == options.seed) {
          res.first = h;
          lab::render_or_warn(lab::history_figure("accuracy-loss-" + ex.key, ex.title, csv, true,
                                                  train::to_string(h.outcome)),
                              options.out);
        }
        if (interrupt_flag()) break;
      }
      results.push_back(res);
      if (interrupt_flag()) break;
    }
    const double lab_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - lab_start).count();

    // Overview: the six pairs on one figure (test accuracy, then test loss).
    {
      output::Figure acc, loss;
      acc.name = "overview-test-accuracy";
      acc.title = "Test accuracy vs. epochs, 784-100-100-10, learning rate x momentum (seed " +
                  std::to_string(options.seed) + ")";
      acc.xlabel = "epoch";
      acc.ylabel = "test accuracy (%)";
      acc.commands = {"set key outside right top"};
      loss = acc;
      loss.name = "overview-test-loss";
      loss.title = "Test loss vs. epochs, 784-100-100-10, learning rate x momentum (seed " +
                   std::to_string(options.seed) + ")";
      loss.ylabel = "test loss (cross-entropy, nats)";
      std::size_t i = 0;
      for (const Result& r : results) {
        if (r.experiment.key == "deep") continue;
        const std::string csv = r.experiment.key + "-seed-" + std::to_string(options.seed) + ".csv";
        const std::string title = "lr " + number(r.experiment.config.lr) + ", momentum " +
                                  number(r.experiment.config.momentum) +
                                  (r.first.outcome == train::Outcome::diverged ? " (DIVERGED)" : "");
        const std::string style = "lw 2 lc rgb '" + palette[i % palette.size()] + "'" +
                                  (r.experiment.config.lr < 0.005 ? " dt 2" : "");
        acc.series.push_back({csv, "epoch", "(strcol('status') eq 'diverged' ? 1/0 : 100*column('test_accuracy'))",
                              title, "linespoints", style + " pt 7 ps 0.6", ""});
        loss.series.push_back({csv, "epoch", "(strcol('status') eq 'diverged' ? 1/0 : column('test_loss'))", title,
                               "linespoints", style + " pt 7 ps 0.6", ""});
        ++i;
      }
      if (!acc.series.empty()) {
        lab::render_or_warn(acc, options.out);
        lab::render_or_warn(loss, options.out);
      }
    }

    // Report vs ours.
    const std::string mode_note = options.full
        ? (batch == 1 ? "batch 1 (per-sample updates, as the report)" : "batch " + std::to_string(batch) + " (the report: 1)")
        : "quick: " + std::to_string(sets->train.size()) + " train images, batch " + std::to_string(batch) + ", " +
              std::to_string(epochs) + " epochs";
    lab::Comparison table("Report 000, Figs. 3-9: MNIST, momentum SGD (" + std::string(options.full ? "full" : "quick") +
                          " mode, " + std::to_string(options.seeds) + " seed" + (options.seeds > 1 ? "s" : "") +
                          "; the report's Figs. 3-8 carry no numbers, so their text stands in the report column)");
    table.add("data: train / validation / test", "40,000 / 10,000 / 10,000",
              std::to_string(sets->train.size()) + " / " + std::to_string(sets->validation.size()) + " / " +
                  std::to_string(sets->test.size()),
              options.full ? "" : "quick mode: random subsets");
    table.add("updates", "per sample (batch 1), 20 epochs",
              "batch " + std::to_string(batch) + ", " + std::to_string(epochs) + " epochs", mode_note);
    auto collect = [](const Result& r, double Reading::*field) {
      std::vector<double> v;
      for (const Reading& x : r.readings)
        if (std::isfinite(x.*field)) v.push_back(x.*field);
      return v;
    };
    for (const Result& r : results) {
      const Reading& f = r.readings.front();
      std::string ours = "train " + lab::mean_std(collect(r, &Reading::train_acc), true) + ", val " +
                         lab::mean_std(collect(r, &Reading::validation_acc), true) + ", test " +
                         lab::mean_std(collect(r, &Reading::test_acc), true);
      std::string note = "test loss lowest at epoch " + number(f.test_loss_min_epoch) + " (" +
                         text::fixed(f.test_loss_min, 4) + "), last " + text::fixed(f.test_loss_final, 4) +
                         "; test accuracy fell in " + std::to_string(f.test_acc_drops) + " of " +
                         std::to_string(r.first.evaluations.size() - 1) + " epochs";
      if (r.diverged > 0) note = "DIVERGED in " + std::to_string(r.diverged) + " seed(s): " + r.first.note + "; " + note;
      if (r.first.outcome == train::Outcome::interrupted) note = "interrupted: " + r.first.note + "; " + note;
      if (r.experiment.key == "deep") {
        table.add_measured(r.experiment.figure + " six hidden layers, lr 0.001, momentum 0.3: validation accuracy (last epoch)",
                           0.9799, collect(r, &Reading::validation_acc), true, 2,
                           "best " + lab::mean_std(collect(r, &Reading::best_validation_acc), true) + " at epoch " +
                               number(f.best_validation_epoch) + "; " + mode_note);
        table.add(r.experiment.figure + " ... train and test accuracy (last epoch)", "-",
                  "train " + lab::mean_std(collect(r, &Reading::train_acc), true) + ", test " +
                      lab::mean_std(collect(r, &Reading::test_acc), true),
                  note);
      } else {
        table.add(r.experiment.figure + " [lr " + number(r.experiment.config.lr) + ", momentum " +
                      number(r.experiment.config.momentum) + "]",
                  r.experiment.claim, ours, note);
      }
    }
    {
      // "increasing the momentum value can enhance the performance ..., particularly for lower
      // learning rates": the test accuracy from momentum 0.1 to 0.9 at each rate.
      auto test_at = [&](double lr, double m) -> std::string {
        for (const Result& r : results)
          if (r.experiment.key != "deep" && r.experiment.config.lr == lr && r.experiment.config.momentum == m)
            return lab::mean_std(collect(r, &Reading::test_acc), true);
        return "-";
      };
      for (double lr : {0.01, 0.001})
        table.add("momentum 0.1 -> 0.5 -> 0.9 at lr " + number(lr) + ": test accuracy",
                  lr == 0.001 ? "more momentum helps, most at the lower rate" : "high momentum unstable at this rate",
                  test_at(lr, 0.1) + " -> " + test_at(lr, 0.5) + " -> " + test_at(lr, 0.9), "last epoch");
    }
    table.print();
    table.write(options.out);
    std::cout << "\nwall time of the training runs: " << text::fixed(lab_seconds, 1) << " s\n";

    nlohmann::json configs = nlohmann::json::array();
    for (const Experiment& e : list) configs.push_back({{"run", e.key}, {"figure", e.figure}, {"title", e.title}});
    lab::write_summary(options, {{"report", "000"},
                                 {"data", {{"train", sets->train.size()}, {"validation", sets->validation.size()},
                                           {"test", sets->test.size()}, {"split_seed", options.seed}}},
                                 {"batch", batch},
                                 {"epochs", epochs},
                                 {"report_figures", {{"fig9_validation_accuracy", 0.9799}}},
                                 {"experiments", configs},
                                 {"table", table.json()},
                                 {"runs", runs}});
    if (interrupt_flag()) {
      std::cout << "interrupted: the finished runs are in " << options.out.string() << '\n';
      return 130;
    }
    return 0;
  });
}
