#include "report.hpp"

#include "gradlab/text.hpp"

#include <cmath>

using namespace gradlab;
using json = nlohmann::json;

namespace lab_momentum {

namespace {
std::string number(double value) { return text::number(value); }
}  // namespace

json read(const train::History& h) {
  const train::Evaluation& last = h.last();
  const train::Evaluation& best = h.best_by_validation();
  double loss_min = arma::datum::inf, loss_min_epoch = 0;
  int drops = 0;  // epochs after which the test accuracy was lower than before
  for (std::size_t i = 0; i < h.evaluations.size(); ++i) {
    const train::Evaluation& e = h.evaluations[i];
    if (std::isfinite(e.test.loss) && e.test.loss < loss_min) {
      loss_min = e.test.loss;
      loss_min_epoch = e.epoch;
    }
    if (i > 0 && e.test.accuracy < h.evaluations[i - 1].test.accuracy) ++drops;
  }
  return {{"train_acc", last.train.accuracy}, {"validation_acc", last.validation.accuracy},
          {"test_acc", last.test.accuracy}, {"best_validation_acc", best.validation.accuracy},
          {"best_validation_epoch", best.epoch}, {"test_loss_min", loss_min},
          {"test_loss_min_epoch", loss_min_epoch}, {"test_loss_final", last.test.loss},
          {"test_acc_drops", drops}, {"epochs_evaluated", h.evaluations.size() - 1},
          // "of 12 evaluations" for a quick run evaluated four times an epoch from epoch 0
          {"unit", h.evaluations.size() > 1 && h.evaluations[0].epoch == 0.0 ? "evaluations" : "epochs"},
          {"outcome", train::to_string(h.outcome)}, {"note", h.note}};
}

lab::Comparison comparison(const std::vector<Runs>& results, const lab::LabOptions& options, arma::uword batch,
                           int epochs, const json& data) {
  const std::string mode = options.full ? "full" : "quick";
  const std::string sizes = std::to_string(data["train"].get<int>()) + " / " +
                            std::to_string(data["validation"].get<int>()) + " / " +
                            std::to_string(data["test"].get<int>());
  const std::string mode_note =
      options.full ? (batch == 1 ? "batch 1 (per-sample updates, as the report)"
                                 : "batch " + std::to_string(batch) + " (the report: 1)")
                   : "quick: " + std::to_string(data["train"].get<int>()) + " train images, batch " +
                         std::to_string(batch) + ", " + std::to_string(epochs) + " epochs";
  lab::Comparison table("Report 000, Figs. 3-9: MNIST, momentum SGD (" + mode + " mode, " +
                        std::to_string(options.seeds) + " seed" + (options.seeds > 1 ? "s" : "") +
                        "; the report's Figs. 3-8 carry no numbers, so their text stands in the report column)");
  table.add("data: train / validation / test", "40,000 / 10,000 / 10,000", sizes,
            options.full ? "" : "quick mode: random subsets");
  table.add("updates", "per sample (batch 1), 20 epochs",
            "batch " + std::to_string(batch) + ", " + std::to_string(epochs) + " epochs", mode_note);
  for (const Runs& r : results) {
    const json& f = r.seeds.front()->result["reading"];
    int diverged = 0;
    for (const lab::CellResult* c : r.seeds) diverged += c->result["reading"]["outcome"] == "diverged";
    std::string note = "test loss lowest at epoch " + number(f["test_loss_min_epoch"]) + " (" +
                       text::fixed(f["test_loss_min"], 4) + "), last " + text::fixed(f["test_loss_final"], 4) +
                       "; test accuracy fell in " + std::to_string(f["test_acc_drops"].get<int>()) + " of " +
                       std::to_string(f["epochs_evaluated"].get<int>()) + " " + f.value("unit", "epochs");
    if (diverged > 0)
      note = "DIVERGED in " + std::to_string(diverged) + " seed(s): " + f["note"].get<std::string>() + "; " + note;
    if (f["outcome"] == "interrupted") note = "interrupted: " + f["note"].get<std::string>() + "; " + note;
    const Experiment& ex = *r.experiment;
    if (ex.key == "deep") {
      table.add_measured(ex.figure + " six hidden layers, lr 0.001, momentum 0.3: validation accuracy (last epoch)",
                         0.9799, r.values("validation_acc"), true, 2,
                         "best " + r.mean("best_validation_acc") + " at epoch " +
                             number(f["best_validation_epoch"]) + "; " + mode_note);
      table.add(ex.figure + " ... train and test accuracy (last epoch)", "-",
                "train " + r.mean("train_acc") + ", test " + r.mean("test_acc"), note);
    } else {
      table.add(ex.figure + " [lr " + number(ex.config.lr) + ", momentum " + number(ex.config.momentum) + "]",
                ex.claim, "train " + r.mean("train_acc") + ", val " + r.mean("validation_acc") + ", test " +
                              r.mean("test_acc"),
                note);
    }
  }
  // "increasing the momentum value can enhance the performance ..., particularly for lower
  // learning rates": the test accuracy from momentum 0.1 to 0.9 at each rate.
  auto test_at = [&](double lr, double m) -> std::string {
    for (const Runs& r : results)
      if (r.experiment->key != "deep" && r.experiment->config.lr == lr && r.experiment->config.momentum == m)
        return r.mean("test_acc");
    return "-";
  };
  for (double lr : {0.01, 0.001})
    table.add("momentum 0.1 -> 0.5 -> 0.9 at lr " + number(lr) + ": test accuracy",
              lr == 0.001 ? "more momentum helps, most at the lower rate" : "high momentum unstable at this rate",
              test_at(lr, 0.1) + " -> " + test_at(lr, 0.5) + " -> " + test_at(lr, 0.9), "last epoch");
  return table;
}

}  // namespace lab_momentum
