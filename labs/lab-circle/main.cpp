// lab-circle: report 004 (Sorbonne RDFIA, Practical Work 1-ab), the Circle data set.
// The 2-4-2 network of its Figure 1 (n_x = 2, n_h = 4, n_y = 2, tanh hidden, softmax output),
// written out by hand (network.hpp) with the forward of its Q7 and the backward of its Q15-Q17,
// each piece an op of gradlab::ops; the hand-written backward is checked against finite
// differences before any run, and again at trained weights. Then the report's Q10 and Q11:
//   Q10: full-batch, mini-batch and online gradient descent for the same number of epochs;
//   Q11: full-batch gradient descent over learning rates 0.01 .. 10.
// The report states no accuracy for the circle set; its claims are qualitative ("mini-batch is
// the most reasonable in the general case", "a large learning rate ... might overshoot") and
// the comparison table puts each beside what is measured here.
// Last, the report's "we have trained a Support Vector Machine (SVM) on the Circle dataset": a
// soft-margin linear SVM (svm.hpp) on the raw points, which no line can separate, and on two
// feature maps that make the classes linearly separable.
// A cell of the grid (gradlab/programs/sweep.hpp) is one setting and one seed: it draws the
// seed's points, trains, and writes its history.csv (and for the first seed its decision-boundary
// grid and test points) into out/lab-circle/cells/<setting>-seed-<s>/. The merge (report.cpp,
// figures.cpp) writes gradcheck.json, the figures, table-final-accuracy.csv, svm-accuracy.csv,
// comparison.csv and summary.json.
#include "network.hpp"
#include "report.hpp"
#include "svm.hpp"

#include "gradlab/check/print.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <cmath>
#include <functional>
#include <iostream>

using namespace gradlab;
using namespace lab_circle;
using json = nlohmann::json;

namespace {

// The first epoch at which the training accuracy reached `level`, or -1.
int epochs_to_reach(const train::History& h, double level) {
  for (const train::Evaluation& e : h.evaluations)
    if (e.train.accuracy >= level) return static_cast<int>(std::lround(e.epoch));
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Report 004: the 2-4-2 tanh network by hand on the Circle set; batch size and learning rate; "
               "a linear SVM on the points and on two feature maps.",
               "lab-circle"};
  lab::LabOptions options;
  options.name = "lab-circle";
  lab::add_options(app, options);
  lab::add_sweep_options(app, options);
  arma::uword n_train = 200, n_test = 200, mini_batch = 10;
  double eta = 0.1;
  int epochs = 0;
  app.add_option("--train", n_train, "training points")->check(CLI::Range(2, 1000000));
  app.add_option("--test", n_test, "test points")->check(CLI::Range(2, 1000000));
  app.add_option("--mini-batch", mini_batch, "the mini-batch size of Q10")->check(CLI::PositiveNumber);
  app.add_option("--lr", eta, "the learning rate of the Q10 comparison")->check(CLI::PositiveNumber);
  app.add_option("--epochs", epochs, "epochs of every run (default: 100 quick, 1000 full)")->check(CLI::PositiveNumber);
  double svm_eta = 1.0, svm_lambda = 1e-3;
  app.add_option("--svm-lr", svm_eta, "the SVMs' learning rate (full-batch subgradient descent)")
      ->check(CLI::PositiveNumber);
  app.add_option("--svm-lambda", svm_lambda, "the SVMs' penalty: J = hinge + (lambda / 2) ||w||^2")
      ->check(CLI::NonNegativeNumber);
  return run_main(app, argc, argv, [&] {
    if (app.count("--seeds") == 0) options.seeds = options.full ? 5 : 2;
    if (epochs == 0) epochs = options.full ? 1000 : 100;
    if (mini_batch > n_train)
      throw std::invalid_argument("--mini-batch " + std::to_string(mini_batch) + " is larger than --train " +
                                  std::to_string(n_train));
    lab::finish_options(options);

    // Q10: three ways to descend at one rate; Q11: full batch at seven rates; report 004's SVM,
    // full batch, on three views of the same points.
    Context c{options, epochs, n_train, n_test, mini_batch, eta, svm_eta, svm_lambda, {}, {}, {}};
    c.modes = {{"full-batch", "full batch (B = " + std::to_string(n_train) + ")", n_train, eta, "", ""},
               {"mini-batch", "mini-batch (B = " + std::to_string(mini_batch) + ")", mini_batch, eta, "", ""},
               {"online", "online (B = 1)", 1, eta, "", ""}};
    for (Setting& s : c.modes) s.description = s.label + ", lr " + text::number(eta);
    for (double r : {0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0})
      c.rates.push_back({"lr-" + text::number(r), "lr " + text::number(r), n_train, r,
                         "full batch, lr " + text::number(r), ""});
    for (const char* key : {"raw", "radius", "fourier"}) {
      const std::string label = "linear SVM on " + feature_map(key, options.seed).label;
      c.svms.push_back({std::string("svm-") + key, label, n_train, svm_eta,
                        label + ", hinge + L2 (lambda " + text::number(svm_lambda) + "), full batch, lr " +
                            text::number(svm_eta),
                        key});
    }

    // The cells: every setting on every seed, seed by seed. The first seed's cells also write
    // what the decision-boundary figures draw.
    lab::Sweep sweep;
    for (std::uint64_t seed : lab::seeds(options))
      for (const std::vector<Setting>* list : {&c.modes, &c.rates, &c.svms})
        for (const Setting& s : *list) {
          json p = {{"run", s.key}, {"batch", s.batch}, {"lr", s.eta}, {"epochs", epochs}, {"train", n_train},
                    {"test", n_test}, {"seed", seed}, {"boundary", seed == options.seed}};
          if (!s.features.empty()) p.update({{"features", s.features}, {"lambda", svm_lambda}});
          sweep.cells.push_back({s.key + "-seed-" + std::to_string(seed), p});
        }

    bool checks_failed = false;
    sweep.prepare = [&] {
      std::cout << "lab-circle (report 004): " << (options.full ? "full" : "quick") << " mode, " << options.seeds
                << (options.seeds == 1 ? " seed, " : " seeds, ") << epochs << " epochs, " << n_train
                << " training and " << n_test << " test points, results in " << options.out.string() << '\n';
      // A wrong backward would make every run meaningless: the check at the first seed's
      // initial weights comes first (the merge checks again at trained weights).
      const check::CheckResult r = check_network(initial_network(options.seed), "initial weights", options.seed);
      if (r.verdict() != check::Verdict::fail) return true;
      check::print_table(std::cout, {r});
      io::write_file_atomically(options.out / "gradcheck.json", check::to_json(r).dump(2) + "\n");
      std::cout << "the hand-written backward FAILED the finite-difference check\n";
      checks_failed = true;
      return false;
    };

    sweep.run = [&](const lab::Cell& cell, const std::filesystem::path& folder) -> json {
      const json& p = cell.settings;
      const std::uint64_t seed = p["seed"];
      Rng data_rng(seed);  // the seed's points: the training set, then the test set
      data::Dataset train_set = data::make_circles(p["train"], data_rng);
      data::Dataset test_set = data::make_circles(p["test"], data_rng);
      train_set.name = "circles train";
      test_set.name = "circles test";
      train::History h;
      int rises = 0;
      json weights;
      std::function<arma::uvec(const arma::mat&)> classify;
      if (p.contains("features")) {
        SvmRun r = train_svm(feature_map(p["features"], seed), train_set, test_set, p["lambda"], p["lr"], p["epochs"]);
        h = std::move(r.history);
        rises = r.loss_rises;
        weights = {{"w", matrix_json(r.svm.w)}, {"b", matrix_json(r.svm.b)}};
        classify = [svm = r.svm](const arma::mat& points) { return svm_predict(svm, points); };
      } else {
        NetworkRun r = train_by_hand(initial_network(seed), train_set, test_set, p["batch"], p["lr"], p["epochs"], seed);
        h = std::move(r.history);
        rises = r.loss_rises;
        weights = network_json(r.net);
        classify = [net = r.net](const arma::mat& points) { return network_predict(net, points); };
      }
      h.to_csv().write(folder / lab::cell_history);
      io::write_file_atomically(folder / "summary.json", h.summary().dump(2) + "\n");  // with its times
      if (p["boundary"].get<bool>()) {
        boundary_grid(classify).write(folder / boundary_file);
        test_points(test_set).write(folder / points_file);
      }
      const train::Evaluation& e = h.last();
      std::cout << "  " << cell.id << ": train " << lab::percent(e.train.accuracy) << ", test "
                << lab::percent(e.test.accuracy) << ", train loss " << text::sci(e.train.loss, 3)
                << (h.outcome == train::Outcome::completed ? "" : ", " + std::string(train::to_string(h.outcome)))
                << std::endl;
      return {{"reading", {{"outcome", train::to_string(h.outcome)}, {"note", h.note}, {"epoch", e.epoch},
                           {"train_loss", e.train.loss}, {"train_acc", e.train.accuracy},
                           {"test_acc", e.test.accuracy}, {"loss_rises", rises},
                           {"epochs_to_99", epochs_to_reach(h, 0.99)}}},
              {"weights", weights},
              {"summary", lab::without_times(h.summary())}};  // times: in the cell's summary.json
    };

    sweep.merge = [&](const std::vector<lab::CellResult>& cells) { return report(cells, c, checks_failed); };
    const int status = lab::run_sweep(options, sweep);
    return checks_failed ? 1 : status;
  });
}
