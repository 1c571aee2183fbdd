// lab-circle's merge: the gradient checks at the weights the runs reached, svm-accuracy.csv, the
// final-accuracy table and report 004's claims beside the measurements, from the cells' results.
#include "report.hpp"

#include "network.hpp"
#include "svm.hpp"

#include "gradlab/check/print.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <algorithm>
#include <iostream>

using namespace gradlab;
using json = nlohmann::json;

namespace lab_circle {

namespace {

double value(const json& j) { return j.is_number() ? j.get<double>() : arma::datum::nan; }  // null: not finite

std::string seeds_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " seed" : " seeds"); }

// "a/b/...": one value per seed, -1 as "never".
std::string join(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : "/") + (x < 0 ? std::string("never") : std::to_string(x));
  return s;
}

// The finished cells gathered by setting, in seed order.
Outcomes gather(const std::vector<lab::CellResult>& cells, const Context& c) {
  std::map<std::string, const Setting*> settings;
  for (const std::vector<Setting>* list : {&c.modes, &c.rates, &c.svms})
    for (const Setting& s : *list) settings[s.key] = &s;
  Outcomes results;
  for (const lab::CellResult& cell : cells) {
    const std::string key = cell.cell.settings["run"];
    const json& r = cell.result["reading"];
    Outcome& o = results[key];
    o.setting = *settings.at(key);
    if (r["outcome"] == "diverged") {
      ++o.diverged;
      if (o.diverged_note.empty()) o.diverged_note = r["note"];
    } else {
      o.train_loss.push_back(value(r["train_loss"]));
      o.train_acc.push_back(value(r["train_acc"]));
      o.test_acc.push_back(value(r["test_acc"]));
    }
    o.rises.push_back(r["loss_rises"]);
    o.to_99.push_back(r["epochs_to_99"]);
    if (cell.cell.settings["seed"] == c.options.seed) o.first = &cell;
    // The run's wall time, from the cell's own summary.json (cell.json keeps no times).
    try {
      o.seconds.push_back(json::parse(io::read_file(cell.folder / "summary.json"))["final"]["seconds"]);
    } catch (const std::exception&) {
    }
  }
  return results;
}

struct CheckTotal {
  double max_rel = 0.0;
  bool failed = false;
};

// One checker table under its heading, its largest relative error and verdict; the reports go
// into all (gradcheck.json).
CheckTotal print_checks(const std::string& heading, const std::vector<check::CheckResult>& checks, json& all) {
  CheckTotal total;
  std::cout << '\n' << heading << '\n';
  check::print_table(std::cout, checks);
  for (const check::CheckResult& r : checks) {
    for (const check::TensorResult& t : r.tensors) total.max_rel = std::max(total.max_rel, t.max_rel_error);
    total.failed |= r.verdict() == check::Verdict::fail;
    all.push_back(check::to_json(r));
  }
  std::cout << "max relative error " << text::sci(total.max_rel, 2) << ": " << (total.failed ? "FAIL" : "PASS") << '\n';
  return total;
}

}  // namespace

json report(const std::vector<lab::CellResult>& cells, const Context& c, bool& checks_failed) {
  const lab::LabOptions& options = c.options;
  const int epochs = c.epochs;
  const Outcomes results = gather(cells, c);
  auto find = [&](const std::string& key) -> const Outcome* {
    const auto it = results.find(key);
    return it == results.end() ? nullptr : &it->second;
  };

  // --- the gradient checks -------------------------------------------------------------------
  // The hand-written backward at the first seed's initial weights and at the weights its
  // mini-batch run reached (larger weights, more saturated tanh units; at weights that are no
  // longer finite the check has nothing to compare); the SVMs' subgradient (ops::binary_hinge +
  // ops::l2_penalty) at the weights each SVM reached on the first seed.
  std::vector<check::CheckResult> checks = {check_network(initial_network(options.seed), "initial weights", options.seed)};
  if (const Outcome* mini = find("mini-batch"); mini != nullptr && mini->first != nullptr &&
                                                mini->first->result["reading"]["outcome"] != "diverged")
    checks.push_back(check_network(network_from_json(mini->first->result["weights"]), "after mini-batch training",
                                   options.seed));
  std::vector<check::CheckResult> svm_checks;
  for (const Setting& s : c.svms)
    if (const Outcome* o = find(s.key); o != nullptr && o->first != nullptr) {
      const json& w = o->first->result["weights"];
      const Svm svm{feature_map(s.features, options.seed), matrix_from_json(w["w"]), arma::vec(matrix_from_json(w["b"]))};
      check::CheckResult r = check::check_vjp(svm_differentiable(svm, check_batch(options.seed), c.svm_lambda));
      r.label = s.label + ", trained";
      r.shape = "w 1x" + std::to_string(svm.w.n_cols) + ", b 1, 16 points";
      svm_checks.push_back(r);
    }
  json check_json = json::array();
  const CheckTotal net_check =
      print_checks("The hand-written backward (Q15-Q17) against central finite differences:", checks, check_json);
  CheckTotal svm_check;
  if (!svm_checks.empty())
    svm_check = print_checks("The SVMs' subgradient (binary hinge + L2) against central finite differences:",
                             svm_checks, check_json);
  io::write_file_atomically(options.out / "gradcheck.json", check_json.dump(2) + "\n");
  checks_failed = net_check.failed || svm_check.failed;

  // --- each SVM's accuracy, one row per seed; the figures -----------------------------------
  output::Csv svm_accuracy({"features", "seed", "train_accuracy", "test_accuracy"});
  for (const lab::CellResult& cell : cells)
    if (cell.cell.settings.contains("features")) {
      const json& r = cell.result["reading"];
      svm_accuracy.add_row(std::vector<std::string>{cell.cell.settings["features"],
                                                    std::to_string(cell.cell.settings["seed"].get<std::uint64_t>()),
                                                    text::number(value(r["train_acc"])), text::number(value(r["test_acc"]))});
    }
  svm_accuracy.write(options.out / "svm-accuracy.csv");
  draw_figures(results, c);

  // --- the final-accuracy table ----------------------------------------------------------------
  const std::vector<std::string> columns = {"run", "batch", "lr", "updates", "train loss", "train acc", "test acc",
                                            "epochs to 99% train", "loss rises", "diverged"};
  text::Table accuracy(columns);
  output::Csv accuracy_csv(columns);
  for (const std::vector<Setting>* list : {&c.modes, &c.rates, &c.svms})
    for (const Setting& s : *list) {
      const Outcome* o = find(s.key);
      if (o == nullptr) continue;
      const arma::uword updates = static_cast<arma::uword>(epochs) * ((c.n_train + s.batch - 1) / s.batch);
      std::vector<std::string> row = {
          s.description, std::to_string(s.batch), text::number(s.eta), std::to_string(updates),
          lab::mean_std(o->train_loss, false, 4), lab::mean_std(o->train_acc, true, 1),
          lab::mean_std(o->test_acc, true, 1), join(o->to_99), join(o->rises),
          std::to_string(o->diverged) + " of " + std::to_string(o->rises.size())};
      accuracy.add_row(row);
      accuracy_csv.add_row(row);
    }
  const std::string accuracy_title = "Final accuracy after " + std::to_string(epochs) + " epochs (mean +- std over " +
                                     seeds_text(options.seeds) +
                                     "; train loss: cross-entropy for the network, J = hinge + L2 for "
                                     "the SVMs; the last three columns: one value per seed, a/b/...)";
  std::cout << '\n' << accuracy_title << '\n';
  accuracy.print(std::cout);
  accuracy_csv.write(options.out / "table-final-accuracy.csv");
  io::write_file_atomically(options.out / "table-final-accuracy.csv.title", accuracy_title + "\n");

  // --- report vs ours --------------------------------------------------------------------------
  auto brief = [&](const Outcome& o) {
    return (o.diverged > 0 ? "DIVERGED in " + std::to_string(o.diverged) + " of " + seeds_text(o.rises.size()) +
                                 " (" + o.diverged_note + "); "
                           : std::string()) +
           "train loss " + lab::mean_std(o.train_loss, false, 3) + ", test " + lab::mean_std(o.test_acc, true, 1) +
           ", loss rose in " + join(o.rises) + " of " + std::to_string(epochs) + " epochs (per seed)";
  };
  lab::Comparison table("Report 004 on the Circle set (no numbers in the report: its claims beside ours, " +
                        std::to_string(epochs) + " epochs, " + seeds_text(options.seeds) + ")");
  table.add("Q15-Q17 backward of the 2-4-2 network, written by hand", "derived by hand",
            "max rel. error " + text::sci(net_check.max_rel, 2) + " vs finite differences: " +
                (net_check.failed ? "FAIL" : "PASS"),
            "Q17 as printed has (1 - h~) for (1 - h^2); the checked form is the latter");
  const arma::uword mini_updates = epochs * ((c.n_train + c.mini_batch - 1) / c.mini_batch);
  if (const Outcome* o = find("full-batch"))
    table.add("Q10 full batch: exact gradient, smoother convergence, costly per step", "smooth but slow per update",
              brief(*o), "one update per epoch: " + std::to_string(epochs) + " updates in all");
  if (const Outcome* o = find("online"))
    table.add("Q10 online (B = 1): cheap updates, unstable path", "unstable path", brief(*o),
              std::to_string(epochs * c.n_train) + " updates of one point each");
  if (const Outcome* o = find("mini-batch"))
    table.add("Q10 mini-batch: the most reasonable choice in the general case", "the reasonable default", brief(*o),
              "B = " + std::to_string(c.mini_batch) + ": " + std::to_string(mini_updates) +
                  " updates; per epoch online goes furthest on so small a set, per update full batch is the "
                  "steadiest (figure loss-batch-modes-steps)");
  {
    // Q11: the fastest rate to 99% train accuracy, the rates whose loss went up, the slowest.
    std::string rising, fastest = "none reached 99%", diverged;
    int best = -1;
    for (const Setting& s : c.rates) {
      const Outcome* o = find(s.key);
      if (o == nullptr) continue;
      const std::string rate = text::number(s.eta);
      if (*std::max_element(o->rises.begin(), o->rises.end()) > 0) rising += (rising.empty() ? "" : ", ") + rate;
      const int e = *std::max_element(o->to_99.begin(), o->to_99.end());
      if (o->diverged == 0 && e >= 0 && *std::min_element(o->to_99.begin(), o->to_99.end()) >= 0 && (best < 0 || e < best)) {
        best = e;
        fastest = "lr " + rate + " (" + std::to_string(e) + " epochs, worst seed)";
      }
      if (o->diverged > 0) diverged += (diverged.empty() ? "" : "; ") + ("lr " + rate + ": " + o->diverged_note);
    }
    table.add("Q11 a large rate converges faster", "faster to a sensible point", "fastest to 99% train accuracy: " + fastest,
              "full batch, every seed");
    table.add("Q11 ... but might overshoot", "overshoots",
              rising.empty() ? "no rate made the full-batch loss rise" : "the full-batch loss rose between epochs at lr " + rising,
              "full-batch descent lowers the loss at every step unless the step overshoots");
    if (const Outcome* slow = find(c.rates.front().key))
      table.add("Q11 too small a rate converges too slowly", "too slow",
                "lr " + text::number(c.rates.front().eta) + ": train loss " + lab::mean_std(slow->train_loss, false, 3) +
                    ", test " + lab::mean_std(slow->test_acc, true, 1) + " after " + std::to_string(epochs) + " epochs",
                "");
    table.add("divergence (a loss that is not finite)", "-", diverged.empty() ? "none of the rates 0.01 .. 10" : diverged,
              diverged.empty() ? "tanh bounds h and the fused softmax cross-entropy stays finite, so the loss stays finite" : "");
  }
  {
    // The SVM: the report trains one and gives no number.
    std::string measured;
    for (const Setting& s : c.svms)
      if (const Outcome* o = find(s.key))
        measured += (measured.empty() ? "" : "; ") + s.label + ": test " + lab::mean_std(o->test_acc, true, 1);
    table.add("an SVM trained on the Circle set", "trained (no accuracy given)", measured.empty() ? "-" : measured,
              "no line separates a disk from the ring around it (near chance); in (x1, x2, x1^2 + x2^2) the "
              "plane x1^2 + x2^2 = 1 does, and so does a linear SVM on random features of the RBF kernel; "
              "lambda " + text::number(c.svm_lambda) + ", lr " + text::number(c.svm_eta) + ", " + std::to_string(epochs) +
                  " full-batch steps");
    if (!svm_checks.empty())
      table.add("the SVM's subgradient (binary hinge + L2), written with gradlab::ops", "-",
                "max rel. error " + text::sci(svm_check.max_rel, 2) + " vs finite differences: " +
                    (svm_check.failed ? "FAIL" : "PASS"),
                "the weights of the first seed's three SVMs after training");
  }
  table.print();
  table.write(options.out);

  // The time per epoch bears on Q10 ("costly per step") but depends on the machine and on how
  // many cells ran at once: printed here, kept out of the tables.
  std::string times;
  for (const Setting& s : c.modes)
    if (const Outcome* o = find(s.key); o != nullptr && !o->seconds.empty())
      times += (times.empty() ? "" : ", ") + s.key + " " +
               text::fixed(1000.0 * arma::mean(arma::vec(o->seconds)) / epochs, 2) + " ms";
  if (!times.empty()) std::cout << "\nQ10 wall time per epoch (mean over seeds, this machine): " << times << '\n';
  if (net_check.failed || svm_check.failed)
    std::cout << (net_check.failed ? "the hand-written backward" : "the SVM's subgradient")
              << " FAILED the finite-difference check\n";

  return {{"report", "004"},
          {"data", {{"set", "circles"}, {"train", c.n_train}, {"test", c.n_test}, {"noise", data::circles_default_noise}}},
          {"network", "2-4-2, tanh hidden, softmax output, Glorot-uniform weights, zero biases"},
          {"epochs", epochs},
          {"q10_learning_rate", c.eta},
          {"mini_batch", c.mini_batch},
          {"gradient_check", {{"max_relative_error", net_check.max_rel}, {"verdict", net_check.failed ? "FAIL" : "PASS"}}},
          {"svm", {{"objective", "mean of max(0, 1 - y (w phi(x) + b)) + (lambda / 2) ||w||^2"},
                   {"lambda", c.svm_lambda}, {"learning_rate", c.svm_eta},
                   {"fourier_features", fourier_count}, {"fourier_sigma", fourier_sigma},
                   {"gradient_check", {{"max_relative_error", svm_check.max_rel},
                                       {"verdict", svm_check.failed ? "FAIL" : "PASS"}}}}},
          {"table", table.json()}};
}

}  // namespace lab_circle
