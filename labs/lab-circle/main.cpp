// lab-circle: report 004 (Sorbonne RDFIA, Practical Work 1-ab), the Circle data set.
// The 2-4-2 network of its Figure 1 (n_x = 2, n_h = 4, n_y = 2, tanh hidden, softmax output),
// written out by hand with the forward of its Q7 and the backward of its Q15-Q17, each piece an
// op of gradlab::ops; the hand-written backward is checked against finite differences first.
// Then the report's Q10 and Q11 as experiments:
//   Q10: full-batch, mini-batch and online gradient descent for the same number of epochs;
//   Q11: full-batch gradient descent over learning rates 0.01 .. 10.
// The report states no accuracy for the circle set; its claims are qualitative ("mini-batch is
// the most reasonable in the general case", "a large learning rate ... might overshoot") and
// the comparison table puts each beside what is measured here.
// Last, the report's "we have trained a Support Vector Machine (SVM) on the Circle dataset": a
// soft-margin linear SVM (svm.hpp) on the raw points, which no line can separate, and on two
// feature maps that make the classes linearly separable.
// Writes out/lab-circle/: the gradient checks (gradcheck.json), per run and seed history CSVs,
// the loss-curve, accuracy and decision-boundary figures (PNG + SVG + .gp), the final-accuracy
// table, svm-accuracy.csv, comparison.csv and summary.json.
#include "gradlab/programs/lab.hpp"

#include "svm.hpp"

#include "gradlab/check/checker.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/data/batches.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/history.hpp"
#include "gradlab/train/metrics.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>

using namespace gradlab;

namespace {

// ---------------------------------------------------------------------------------------------
// The network of report 004, by hand. Columns are samples: x is 2 x B.
//   Q7 forward:   h~ = W_h x + b_h,   h = tanh(h~),   y~ = W_y h + b_y,   y^ = softmax(y~)
//   loss:         l = mean over the batch of  -sum_i y_i log y^_i   (y one-hot)
struct CircleNet {
  arma::mat W_h;  // n_h x n_x = 4 x 2
  arma::vec b_h;  // 4
  arma::mat W_y;  // n_y x n_h = 2 x 4
  arma::vec b_y;  // 2
};

// What the backward needs from the forward.
struct Forward {
  arma::mat h;       // 4 x B, tanh(h~)
  arma::mat y_tilde; // 2 x B, the logits
  arma::mat y_hat;   // 2 x B, softmax(y~)
  double loss = 0.0; // mean cross-entropy over the batch
};

Forward forward(const CircleNet& net, const arma::mat& x, const arma::uvec& labels) {
  Forward f;
  const arma::mat h_tilde = ops::affine_forward(net.W_h, net.b_h, x);  // h~ = W_h x + b_h
  f.h = ops::tanh_forward(h_tilde);                                    // h = tanh(h~)
  f.y_tilde = ops::affine_forward(net.W_y, net.b_y, f.h);              // y~ = W_y h + b_y
  // y^ = softmax(y~) and l = -sum_i y_i log y^_i, fused (Q14: l = -sum_i y_i y~_i + log sum_i e^{y~_i})
  ops::SoftmaxCrossEntropy s = ops::softmax_cross_entropy_forward(f.y_tilde, labels);
  f.y_hat = std::move(s.probs);
  f.loss = s.loss;
  return f;
}

struct Gradients {
  arma::mat dx;             // 2 x B (for the check: the input gets a gradient too)
  arma::mat dW_h, dW_y;
  arma::vec db_h, db_y;
};

// Q15-Q17, in exact reverse order of the forward:
//   Q15: grad_y~ = (y^ - y) / B                       (the batch mean's 1/B, once, here)
//   Q16: grad_W_y = grad_y~ h^T,   grad_b_y = sum over the batch of grad_y~
//   Q17: grad_h = W_y^T grad_y~,   grad_h~ = grad_h ⊙ (1 - h^2)   (tanh' = 1 - tanh^2)
//        grad_W_h = grad_h~ x^T,   grad_b_h = sum over the batch of grad_h~
// (As the report's text was extracted, Q17 prints (1 - h~) and an extra W_h in grad_b_h; the
// derivative of tanh gives (1 - h^2), and the finite-difference check below confirms it.)
Gradients backward(const CircleNet& net, const arma::mat& x, const arma::uvec& labels,
                   const Forward& f) {
  Gradients g;
  const arma::mat dy_tilde = ops::softmax_cross_entropy_backward(f.y_hat, labels);  // Q15
  ops::AffineGrads output = ops::affine_backward(dy_tilde, net.W_y, f.h);          // Q16
  g.dW_y = std::move(output.dW);
  g.db_y = std::move(output.db);
  const arma::mat dh_tilde = ops::tanh_backward(output.dX, f.h);                   // Q17
  ops::AffineGrads hidden = ops::affine_backward(dh_tilde, net.W_h, x);
  g.dW_h = std::move(hidden.dW);
  g.db_h = std::move(hidden.db);
  g.dx = std::move(hidden.dX);
  return g;
}

// Glorot-uniform weights, zero biases, drawn from the seed: every run of a seed starts from the
// same network, so the runs differ only in how they descend.
CircleNet initial_network(std::uint64_t seed) {
  Rng rng(seed);
  CircleNet net{arma::mat(4, 2), arma::vec(4, arma::fill::zeros), arma::mat(2, 4),
                arma::vec(2, arma::fill::zeros)};
  nn::glorot_uniform(net.W_h, rng);
  nn::glorot_uniform(net.W_y, rng);
  return net;
}

// The hand-written network as a function the checker perturbs: inputs x, W_h, b_h, W_y, b_y;
// forward = [l] (1x1); backward(G) = G(0,0) times the gradients of l.
check::Differentiable differentiable(const CircleNet& net, const data::Dataset& batch) {
  struct State {
    CircleNet net;
    arma::mat x;
    arma::uvec labels;
  };
  auto s = std::make_shared<State>(State{net, batch.X, batch.labels});
  check::Differentiable fn;
  fn.inputs = {{"x", &s->x}, {"W_h", &s->net.W_h}, {"b_h", &s->net.b_h},
               {"W_y", &s->net.W_y}, {"b_y", &s->net.b_y}};
  fn.forward = [s] { return arma::mat(1, 1, arma::fill::value(forward(s->net, s->x, s->labels).loss)); };
  fn.backward = [s](const arma::mat& G) {
    const Gradients g = backward(s->net, s->x, s->labels, forward(s->net, s->x, s->labels));
    const double u = G(0, 0);
    return std::vector<arma::mat>{u * g.dx, u * g.dW_h, u * g.db_h, u * g.dW_y, u * g.db_y};
  };
  fn.owner = s;
  return fn;
}

// ---------------------------------------------------------------------------------------------
// Training by hand: plain gradient descent, theta <- theta - eta grad_theta l, on batches of
// `batch` samples reshuffled every epoch (1: online, the set's size: full batch). The loss and
// accuracy are measured on the whole training and test sets before training (epoch 0) and
// after every epoch. A loss that is not finite stops the run, marked "diverged".

train::Metrics measure(const CircleNet& net, const data::Dataset& set) {
  const Forward f = forward(net, set.X, set.labels);
  return {f.loss, arma::mean(arma::conv_to<arma::vec>::from(train::predict(f.y_hat) == set.labels))};
}

struct Run {
  train::History history;
  CircleNet net;
  int loss_rises = 0;  // epochs after which the training loss was higher than before
};

Run train_by_hand(CircleNet net, const data::Dataset& train_set, const data::Dataset& test_set,
                  arma::uword batch_size, double eta, int epochs, std::uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  Run run;
  train::History& h = run.history;
  Rng rng(seed);
  data::Batches batches(train_set, batch_size, rng);
  arma::uword step = 0;
  auto evaluate = [&](double epoch) {
    train::Evaluation e;
    e.epoch = epoch;
    e.step = step;
    e.learning_rate = eta;
    e.train = measure(net, train_set);
    e.test = measure(net, test_set);
    e.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!h.evaluations.empty() && e.train.loss > h.last().train.loss) ++run.loss_rises;
    h.evaluations.push_back(e);
    if (!std::isfinite(e.train.loss) && h.outcome == train::Outcome::completed) {
      h.outcome = train::Outcome::diverged;
      h.note = "the training loss became " + text::number(e.train.loss) + " at epoch " +
               text::number(epoch);
    }
  };
  evaluate(0);
  data::Batch b;
  for (int epoch = 1; epoch <= epochs && h.outcome == train::Outcome::completed; ++epoch) {
    const auto epoch_start = Clock::now();
    arma::uword in_epoch = 0;  // steps taken in this epoch
    while (batches.next(b)) {
      const Forward f = forward(net, b.X, b.labels);
      if (!std::isfinite(f.loss)) {
        h.outcome = train::Outcome::diverged;
        h.note = "the batch loss became " + text::number(f.loss) + " at epoch " +
                 std::to_string(epoch) + ", step " + std::to_string(step + 1);
        break;
      }
      const Gradients g = backward(net, b.X, b.labels, f);
      net.W_h -= eta * g.dW_h;
      net.b_h -= eta * g.db_h;
      net.W_y -= eta * g.dW_y;
      net.b_y -= eta * g.db_y;
      ++step;
      ++in_epoch;
      if (interrupt_flag()) break;
    }
    if (h.outcome == train::Outcome::diverged) {
      // The last row is where it happened (its loss is not finite; the figures stop before it).
      evaluate(epoch - 1 + static_cast<double>(in_epoch) / static_cast<double>(batches.batches_per_epoch()));
      break;
    }
    evaluate(epoch);
    h.epoch_seconds.push_back(std::chrono::duration<double>(Clock::now() - epoch_start).count());
    if (interrupt_flag()) {
      h.outcome = train::Outcome::interrupted;
      h.note = "stopped on request at epoch " + std::to_string(epoch);
      break;
    }
  }
  run.net = std::move(net);
  return run;
}

// ---------------------------------------------------------------------------------------------

struct Setting {
  std::string key;    // file stem part: "full-batch", "lr-0.3"
  std::string label;  // legend: "full batch (B = 200)", "lr 0.3"
  arma::uword batch;
  double eta;
  std::string description;  // both settings in words: "full batch (B = 200), lr 0.1"
};

std::string rate_text(double eta) { return text::number(eta); }

std::string seeds_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " seed" : " seeds"); }

// The first epoch at which the training accuracy reached `level`, or -1.
int epochs_to_reach(const train::History& h, double level) {
  for (const train::Evaluation& e : h.evaluations)
    if (e.train.accuracy >= level) return static_cast<int>(std::lround(e.epoch));
  return -1;
}

// The classes a trained model gives on a grid over the plane, and the test points, as CSV for
// the boundary figure. classify: points 2 x n -> their classes (n).
using Classifier = std::function<arma::uvec(const arma::mat& points)>;

// The network's class: the larger of its two outputs.
Classifier network_classifier(const CircleNet& net) {
  return [net](const arma::mat& points) {
    const arma::mat h = ops::tanh_forward(ops::affine_forward(net.W_h, net.b_h, points));
    return train::predict(ops::affine_forward(net.W_y, net.b_y, h));
  };
}

void boundary_figure(const Classifier& classify, const std::string& key, const std::string& title,
                     const std::filesystem::path& out) {
  const int n = 180;
  const double lo = -2.25, hi = 2.25;
  output::Csv grid({"x1", "x2", "class"});
  arma::mat points(2, n + 1);
  for (int i = 0; i <= n; ++i) {
    const double x1 = lo + (hi - lo) * i / n;
    for (int j = 0; j <= n; ++j) points.col(j) = arma::vec{x1, lo + (hi - lo) * j / n};
    const arma::uvec predicted = classify(points);
    for (int j = 0; j <= n; ++j)
      grid.add_row(std::vector<double>{x1, points(1, j), static_cast<double>(predicted(j))});
  }
  grid.write(out / ("boundary-" + key + ".csv"));
  output::Figure f;
  f.name = "boundary-" + key;
  f.title = title;
  f.xlabel = "x1 (coordinate, no unit)";
  f.ylabel = "x2 (coordinate, no unit)";
  f.width = 700;
  f.height = 700;
  const std::string range = "[" + text::number(lo) + ":" + text::number(hi) + "]";
  f.commands = {"set size ratio -1", "set xrange " + range, "set yrange " + range,
                "set palette defined (0 '#fde0dd', 1 '#deebf7')", "unset colorbox",
                "set key outside bottom center horizontal",
                "set object 1 circle at 0,0 size " + text::number(data::circles_inner_radius) +
                    " front fillstyle empty border lc rgb '#555555' dt 2 lw 1",
                "set object 2 circle at 0,0 size " + text::number(data::circles_ring_inner) +
                    " front fillstyle empty border lc rgb '#555555' dt 2 lw 1"};
  f.series = {{"boundary-" + key + ".csv", "x1", "x2", "predicted class (shading)", "image", "", "class"},
              {"test-points.csv", "x1", "(column('label') == 1 ? column('x2') : 1/0)",
               "test class 1 (ring)", "points", "pt 7 ps 0.5 lc rgb '#08519c'", ""},
              {"test-points.csv", "x1", "(column('label') == 0 ? column('x2') : 1/0)",
               "test class 0 (disk)", "points", "pt 7 ps 0.5 lc rgb '#cb181d'", ""}};
  lab::render_or_warn(f, out);
}

// A loss series that stops before a diverged row (whose loss is not finite): a diverged run is
// marked in its legend entry and drawn with open circles (so even one finite point shows), not
// drawn as garbage.
output::Series loss_series(const std::string& csv, const std::string& x, const std::string& title,
                           const std::string& style, bool diverged) {
  return {csv, x, "(strcol('status') eq 'diverged' ? 1/0 : column('train_loss'))", title,
          diverged ? "linespoints" : "lines", style + (diverged ? " pt 6 ps 1.2" : ""), ""};
}

const std::vector<std::string> palette = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                          "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Report 004: the 2-4-2 tanh network by hand on the Circle set; batch size and learning rate; "
               "a linear SVM on the points and on two feature maps.",
               "lab-circle"};
  lab::LabOptions options;
  options.name = "lab-circle";
  lab::add_options(app, options);
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
    interrupt_flag();
    std::cout << "lab-circle (report 004): " << (options.full ? "full" : "quick") << " mode, "
              << seeds_text(options.seeds) << ", " << epochs << " epochs, " << n_train << " training and "
              << n_test << " test points, results in " << options.out.string() << '\n';

    // --- 1. The hand-written backward against finite differences ---------------------------
    // At the initial weights of the first seed and, after training, at the weights the
    // mini-batch run reached (larger weights, more saturated tanh units).
    Rng check_rng(options.seed + 1000);
    data::Dataset check_batch = data::make_circles(16, check_rng);
    std::vector<check::CheckResult> checks;
    auto run_check = [&](const CircleNet& net, const std::string& label) {
      check::CheckResult r = check::check_vjp(differentiable(net, check_batch));
      r.label = "2-4-2 by hand, " + label;
      r.shape = "x 2x16, W_h 4x2, b_h 4, W_y 2x4, b_y 2";
      checks.push_back(r);
    };
    run_check(initial_network(options.seed), "initial weights");
    if (checks.back().verdict() == check::Verdict::fail) {
      // A wrong backward would make every experiment below meaningless: stop here.
      check::print_table(std::cout, checks);
      io::write_file_atomically(options.out / "gradcheck.json", check::to_json(checks.back()).dump(2) + "\n");
      std::cout << "the hand-written backward FAILED the finite-difference check\n";
      return 1;
    }

    // --- 2. Q10 and Q11 ------------------------------------------------------------------------
    std::vector<Setting> modes = {
        {"full-batch", "full batch (B = " + std::to_string(n_train) + ")", n_train, eta, ""},
        {"mini-batch", "mini-batch (B = " + std::to_string(mini_batch) + ")", mini_batch, eta, ""},
        {"online", "online (B = 1)", 1, eta, ""}};
    for (Setting& s : modes) s.description = s.label + ", lr " + rate_text(eta);
    std::vector<Setting> rates;
    for (double r : {0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0})
      rates.push_back({"lr-" + rate_text(r), "lr " + rate_text(r), n_train, r, "full batch, lr " + rate_text(r)});
    // Report 004's SVM, full batch, on three views of the same points; the random Fourier
    // features are drawn for each seed (from seed + 2000).
    const arma::uword fourier_count = 100;
    const double fourier_sigma = 0.5;
    auto feature_maps = [&](std::uint64_t seed) {
      Rng rng(seed + 2000);
      return std::vector<lab_circle::Features>{lab_circle::raw_features(), lab_circle::radius_features(),
                                               lab_circle::fourier_features(fourier_count, fourier_sigma, rng)};
    };
    std::vector<Setting> svms;
    for (const lab_circle::Features& phi : feature_maps(options.seed))
      svms.push_back({"svm-" + phi.key, "linear SVM on " + phi.label, n_train, svm_eta,
                      "linear SVM on " + phi.label + ", hinge + L2 (lambda " + text::number(svm_lambda) +
                          "), full batch, lr " + rate_text(svm_eta)});

    struct Outcome {
      Setting setting;
      std::vector<double> train_loss, train_acc, test_acc, seconds;
      std::vector<int> rises, to_99;
      int diverged = 0;
      std::string diverged_note;
      train::History first;    // the first seed's history (figures)
      Classifier first_model;  // the first seed's trained network or SVM (boundary figure)
    };
    std::map<std::string, Outcome> results;
    nlohmann::json runs = nlohmann::json::array();
    const auto lab_start = std::chrono::steady_clock::now();
    // One run of a setting on one seed: its history CSV, its row in `runs`, its numbers in `results`.
    auto record = [&](const Setting& s, const train::History& h, int loss_rises, std::uint64_t seed) -> Outcome& {
      h.to_csv().write(options.out / (s.key + "-seed-" + std::to_string(seed) + ".csv"));
      Outcome& o = results[s.key];
      o.setting = s;
      const train::Evaluation& last = h.last();
      if (h.outcome == train::Outcome::diverged) {
        ++o.diverged;
        if (o.diverged_note.empty()) o.diverged_note = h.note;
      } else {
        o.train_loss.push_back(last.train.loss);
        o.train_acc.push_back(last.train.accuracy);
        o.test_acc.push_back(last.test.accuracy);
      }
      o.seconds.push_back(last.seconds);
      o.rises.push_back(loss_rises);
      o.to_99.push_back(epochs_to_reach(h, 0.99));
      if (seed == options.seed) o.first = h;
      runs.push_back({{"run", s.key}, {"batch", s.batch}, {"learning_rate", s.eta}, {"seed", seed},
                      {"loss_rises", loss_rises}, {"result", h.summary()}});
      return o;
    };
    // The SVM's subgradient (ops::binary_hinge + ops::l2_penalty) against finite differences, at
    // the weights each SVM reached on the first seed.
    std::vector<check::CheckResult> svm_checks;
    auto run_svm_check = [&](const lab_circle::Svm& svm, const std::string& label) {
      check::CheckResult r = check::check_vjp(lab_circle::svm_differentiable(svm, check_batch, svm_lambda));
      r.label = label + ", trained";
      r.shape = "w 1x" + std::to_string(svm.w.n_cols) + ", b 1, 16 points";
      svm_checks.push_back(r);
    };
    output::Csv svm_accuracy({"features", "seed", "train_accuracy", "test_accuracy"});

    bool test_points_written = false;
    for (std::uint64_t seed : lab::seeds(options)) {
      Rng data_rng(seed);
      data::Dataset train_set = data::make_circles(n_train, data_rng);
      data::Dataset test_set = data::make_circles(n_test, data_rng);
      train_set.name = "circles train";
      test_set.name = "circles test";
      if (!test_points_written) {
        output::Csv points({"x1", "x2", "label"});
        for (arma::uword k = 0; k < test_set.size(); ++k)
          points.add_row(std::vector<double>{test_set.X(0, k), test_set.X(1, k), static_cast<double>(test_set.labels(k))});
        points.write(options.out / "test-points.csv");
        test_points_written = true;
      }
      const CircleNet start = initial_network(seed);
      std::vector<Setting> all = modes;
      all.insert(all.end(), rates.begin(), rates.end());
      for (const Setting& s : all) {
        Run r = train_by_hand(start, train_set, test_set, s.batch, s.eta, epochs, seed);
        Outcome& o = record(s, r.history, r.loss_rises, seed);
        if (seed == options.seed) o.first_model = network_classifier(r.net);
        // (At weights that are no longer finite the check has nothing to compare.)
        if (s.key == "mini-batch" && seed == options.seed && r.history.outcome != train::Outcome::diverged)
          run_check(r.net, "after mini-batch training");
        if (interrupt_flag()) break;
      }
      if (interrupt_flag()) break;
      // Report 004's SVM on the same points: the raw coordinates, then two feature maps.
      const std::vector<lab_circle::Features> maps = feature_maps(seed);
      for (std::size_t i = 0; i < svms.size(); ++i) {
        lab_circle::SvmRun r = lab_circle::train_svm(maps[i], train_set, test_set, svm_lambda, svm_eta, epochs);
        Outcome& o = record(svms[i], r.history, r.loss_rises, seed);
        svm_accuracy.add_row(std::vector<std::string>{maps[i].key, std::to_string(seed),
                                                      text::number(r.history.last().train.accuracy),
                                                      text::number(r.history.last().test.accuracy)});
        if (seed == options.seed) {
          o.first_model = [svm = r.svm](const arma::mat& points) { return lab_circle::svm_predict(svm, points); };
          run_svm_check(r.svm, svms[i].label);
        }
      }
      if (interrupt_flag()) break;
    }
    svm_accuracy.write(options.out / "svm-accuracy.csv");
    const double lab_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - lab_start).count();

    // --- the check's verdict ---------------------------------------------------------------
    std::cout << "\nThe hand-written backward (Q15-Q17) against central finite differences:\n";
    check::print_table(std::cout, checks);
    double max_rel = 0.0;
    bool check_failed = false;
    nlohmann::json check_json = nlohmann::json::array();
    for (const check::CheckResult& r : checks) {
      for (const check::TensorResult& t : r.tensors) max_rel = std::max(max_rel, t.max_rel_error);
      check_failed |= r.verdict() == check::Verdict::fail;
      check_json.push_back(check::to_json(r));
    }
    std::cout << "max relative error " << text::sci(max_rel, 2) << ": "
              << (check_failed ? "FAIL" : "PASS") << '\n';
    double svm_max_rel = 0.0;
    bool svm_check_failed = false;
    if (!svm_checks.empty()) {
      std::cout << "\nThe SVMs' subgradient (binary hinge + L2) against central finite differences:\n";
      check::print_table(std::cout, svm_checks);
      for (const check::CheckResult& r : svm_checks) {
        for (const check::TensorResult& t : r.tensors) svm_max_rel = std::max(svm_max_rel, t.max_rel_error);
        svm_check_failed |= r.verdict() == check::Verdict::fail;
        check_json.push_back(check::to_json(r));
      }
      std::cout << "max relative error " << text::sci(svm_max_rel, 2) << ": " << (svm_check_failed ? "FAIL" : "PASS")
                << '\n';
    }
    io::write_file_atomically(options.out / "gradcheck.json", check_json.dump(2) + "\n");
    if (interrupt_flag()) {
      // Some runs are missing: no figures or tables, only what was measured.
      lab::write_summary(options, {{"report", "004"}, {"interrupted", true}, {"runs", runs}});
      std::cout << "interrupted: the finished runs are in " << options.out.string() << '\n';
      return check_failed || svm_check_failed ? 1 : 130;
    }

    // --- figures (the first seed) ----------------------------------------------------------
    const std::string seed_text = "seed " + std::to_string(options.seed);
    auto legend = [&](const Outcome& o) {
      const train::History& h = o.first;
      if (h.outcome == train::Outcome::diverged)
        return o.setting.label + ": DIVERGED at epoch " + text::number(h.last().epoch) + " (not drawn after)";
      return o.setting.label;
    };
    {
      output::Figure f;
      f.name = "loss-batch-modes";
      f.title = "Q10 on the Circle set: training loss, full batch vs mini-batch vs online (2-4-2 tanh, lr " +
                rate_text(eta) + ", " + seed_text + ")";
      f.xlabel = "epoch (passes over the " + std::to_string(n_train) + " training points)";
      f.ylabel = "training loss (cross-entropy, nats)";
      f.logy = true;
      f.commands = {"set key top right"};
      for (std::size_t i = 0; i < modes.size(); ++i) {
        const Outcome& o = results.at(modes[i].key);
        f.series.push_back(loss_series(modes[i].key + "-seed-" + std::to_string(options.seed) + ".csv", "epoch",
                                       legend(o), "lw 2 lc rgb '" + palette[i] + "'",
                                       o.first.outcome == train::Outcome::diverged));
      }
      lab::render_or_warn(f, options.out);
      f.name = "loss-batch-modes-steps";
      f.title = "Q10 on the Circle set: the same runs against parameter updates (lr " + rate_text(eta) + ", " +
                seed_text + ")";
      f.xlabel = "parameter updates (gradient steps, log scale)";
      f.logx = true;
      for (std::size_t i = 0; i < modes.size(); ++i) {
        f.series[i].x = "(column('step') > 0 ? column('step') : 1/0)";
        if (f.series[i].style == "lines") {
          f.series[i].style = "linespoints";
          f.series[i].extra += " pt 7 ps 0.3";
        }
      }
      lab::render_or_warn(f, options.out);
    }
    {
      output::Figure f;
      f.name = "loss-learning-rates";
      f.title = "Q11 on the Circle set: full-batch gradient descent at 7 learning rates (" + seed_text + ")";
      f.xlabel = "epoch (= gradient steps: one per epoch in full batch)";
      f.ylabel = "training loss (cross-entropy, nats)";
      f.logy = true;
      f.width = 1150;
      f.commands = {"set key outside right top"};
      for (std::size_t i = 0; i < rates.size(); ++i) {
        const Outcome& o = results.at(rates[i].key);
        std::string title = legend(o);
        if (o.first.outcome != train::Outcome::diverged && o.rises.front() > 0)
          title += " (loss rose in " + std::to_string(o.rises.front()) + " epochs)";
        f.series.push_back(loss_series(rates[i].key + "-seed-" + std::to_string(options.seed) + ".csv", "epoch",
                                       title, "lw 2 lc rgb '" + palette[i] + "'",
                                       o.first.outcome == train::Outcome::diverged));
      }
      lab::render_or_warn(f, options.out);
    }
    {
      // Final accuracy against the learning rate (diverged runs have no point).
      output::Csv csv({"learning_rate", "train_accuracy", "test_accuracy"});
      for (const Setting& s : rates) {
        const Outcome& o = results.at(s.key);
        if (o.train_acc.empty()) continue;
        csv.add_row(std::vector<double>{s.eta, 100.0 * arma::mean(arma::vec(o.train_acc)),
                                        100.0 * arma::mean(arma::vec(o.test_acc))});
      }
      csv.write(options.out / "accuracy-learning-rates.csv");
      output::Figure f;
      f.name = "accuracy-learning-rates";
      f.title = "Q11: final accuracy after " + std::to_string(epochs) + " epochs of full-batch descent (mean over " +
                seeds_text(options.seeds) + ")";
      f.xlabel = "learning rate (log scale)";
      f.ylabel = "accuracy (%)";
      f.logx = true;
      f.commands = {"set yrange [0:105]", "set key bottom right", "set format x '%g'"};
      f.series = {{"accuracy-learning-rates.csv", "learning_rate", "train_accuracy", "train accuracy",
                   "linespoints", "lw 2 pt 7 lc rgb '#1f77b4'", ""},
                  {"accuracy-learning-rates.csv", "learning_rate", "test_accuracy", "test accuracy",
                   "linespoints", "lw 2 pt 5 lc rgb '#d62728'", ""}};
      lab::render_or_warn(f, options.out);
    }
    for (const auto& [key, o] : results) {
      if (o.first.evaluations.empty()) continue;
      const train::Evaluation& e = o.first.last();
      const bool svm = key.rfind("svm-", 0) == 0;  // (its settings are in the table: a shorter title)
      boundary_figure(o.first_model, key,
                      (svm ? "Decision boundary, " + o.setting.label + ": test " + lab::percent(e.test.accuracy)
                           : "Decision boundary, " + o.setting.description + ": test " + lab::percent(e.test.accuracy) +
                                 " after " + text::number(e.epoch) + " epochs") +
                          " (" + seed_text + ")",
                      options.out);
    }

    // --- the final-accuracy table ----------------------------------------------------------
    text::Table accuracy({"run", "batch", "lr", "updates", "train loss", "train acc", "test acc",
                            "epochs to 99% train", "loss rises", "diverged"});
    output::Csv accuracy_csv({"run", "batch", "lr", "updates", "train loss", "train acc", "test acc",
                              "epochs to 99% train", "loss rises", "diverged"});
    auto join = [](const std::vector<int>& v) {
      std::string s;
      for (int x : v) s += (s.empty() ? "" : "/") + (x < 0 ? std::string("never") : std::to_string(x));
      return s;
    };
    std::vector<Setting> order = modes;
    order.insert(order.end(), rates.begin(), rates.end());
    order.insert(order.end(), svms.begin(), svms.end());
    for (const Setting& s : order) {
      const Outcome& o = results.at(s.key);
      const arma::uword updates = static_cast<arma::uword>(epochs) * ((n_train + s.batch - 1) / s.batch);
      std::vector<std::string> row = {
          s.description,
          std::to_string(s.batch), rate_text(s.eta), std::to_string(updates),
          lab::mean_std(o.train_loss, false, 4), lab::mean_std(o.train_acc, true, 1),
          lab::mean_std(o.test_acc, true, 1), join(o.to_99), join(o.rises),
          std::to_string(o.diverged) + " of " + std::to_string(o.rises.size())};
      accuracy.add_row(row);
      accuracy_csv.add_row(row);
    }
    const std::string accuracy_title = "Final accuracy after " + std::to_string(epochs) +
                                       " epochs (mean +- std over " + seeds_text(options.seeds) +
                                       "; train loss: cross-entropy for the network, J = hinge + L2 for "
                                       "the SVMs; the last three columns: one value per seed, a/b/...)";
    std::cout << '\n' << accuracy_title << '\n';
    accuracy.print(std::cout);
    accuracy_csv.write(options.out / "table-final-accuracy.csv");
    io::write_file_atomically(options.out / "table-final-accuracy.csv.title", accuracy_title + "\n");

    // --- report vs ours ----------------------------------------------------------------------
    const Outcome& full = results.at("full-batch");
    const Outcome& mini = results.at("mini-batch");
    const Outcome& online = results.at("online");
    auto ms_per_epoch = [&](const Outcome& o) {
      return text::fixed(1000.0 * arma::mean(arma::vec(o.seconds)) / epochs, 2) + " ms/epoch";
    };
    auto brief = [&](const Outcome& o) {
      return (o.diverged > 0 ? "DIVERGED in " + std::to_string(o.diverged) + " of " +
                                   seeds_text(o.rises.size()) + " (" + o.diverged_note + "); "
                             : std::string()) +
             "train loss " + lab::mean_std(o.train_loss, false, 3) + ", test " + lab::mean_std(o.test_acc, true, 1) +
             ", loss rose in " + join(o.rises) + " of " + std::to_string(epochs) + " epochs (per seed)";
    };
    lab::Comparison table("Report 004 on the Circle set (no numbers in the report: its claims beside ours, " +
                          std::to_string(epochs) + " epochs, " + seeds_text(options.seeds) + ")");
    table.add("Q15-Q17 backward of the 2-4-2 network, written by hand", "derived by hand",
              "max rel. error " + text::sci(max_rel, 2) + " vs finite differences: " + (check_failed ? "FAIL" : "PASS"),
              "Q17 as printed has (1 - h~) for (1 - h^2); the checked form is the latter");
    table.add("Q10 full batch: exact gradient, smoother convergence, costly per step",
              "smooth but slow per update", brief(full) + ", " + ms_per_epoch(full),
              "one update per epoch: " + std::to_string(epochs) + " updates in all");
    table.add("Q10 online (B = 1): cheap updates, unstable path", "unstable path",
              brief(online) + ", " + ms_per_epoch(online),
              std::to_string(epochs * n_train) + " updates of one point each");
    table.add("Q10 mini-batch: the most reasonable choice in the general case", "the reasonable default",
              brief(mini) + ", " + ms_per_epoch(mini),
              "B = " + std::to_string(mini_batch) + ": " + std::to_string(epochs * ((n_train + mini_batch - 1) / mini_batch)) +
                  " updates; per epoch online goes furthest on so small a set, per update full batch is the "
                  "steadiest (figure loss-batch-modes-steps)");
    {
      // Q11: the fastest rate to 99% train accuracy, the rates whose loss went up, the slowest.
      std::string rising, fastest = "none reached 99%";
      int best = -1;
      for (const Setting& s : rates) {
        const Outcome& o = results.at(s.key);
        if (*std::max_element(o.rises.begin(), o.rises.end()) > 0) rising += (rising.empty() ? "" : ", ") + rate_text(s.eta);
        const int e = *std::max_element(o.to_99.begin(), o.to_99.end());
        if (o.diverged == 0 && e >= 0 && *std::min_element(o.to_99.begin(), o.to_99.end()) >= 0 && (best < 0 || e < best)) {
          best = e;
          fastest = "lr " + rate_text(s.eta) + " (" + std::to_string(e) + " epochs, worst seed)";
        }
      }
      table.add("Q11 a large rate converges faster", "faster to a sensible point", "fastest to 99% train accuracy: " + fastest,
                "full batch, every seed");
      table.add("Q11 ... but might overshoot", "overshoots",
                rising.empty() ? "no rate made the full-batch loss rise" : "the full-batch loss rose between epochs at lr " + rising,
                "full-batch descent lowers the loss at every step unless the step overshoots");
      const Outcome& slow = results.at(rates.front().key);
      table.add("Q11 too small a rate converges too slowly", "too slow",
                "lr " + rate_text(rates.front().eta) + ": train loss " + lab::mean_std(slow.train_loss, false, 3) +
                    ", test " + lab::mean_std(slow.test_acc, true, 1) + " after " + std::to_string(epochs) + " epochs",
                "");
      std::string diverged;
      for (const Setting& s : rates)
        if (results.at(s.key).diverged > 0)
          diverged += (diverged.empty() ? "" : "; ") + ("lr " + rate_text(s.eta) + ": " + results.at(s.key).diverged_note);
      table.add("divergence (a loss that is not finite)", "-",
                diverged.empty() ? "none of the rates 0.01 .. 10" : diverged,
                diverged.empty() ? "tanh bounds h and the fused softmax cross-entropy stays finite, so the loss stays finite" : "");
    }
    {
      // The SVM: the report trains one and gives no number.
      auto test_accuracy = [&](const Setting& s) { return lab::mean_std(results.at(s.key).test_acc, true, 1); };
      std::string measured;
      for (const Setting& s : svms) measured += (measured.empty() ? "" : "; ") + s.label + ": test " + test_accuracy(s);
      table.add("an SVM trained on the Circle set", "trained (no accuracy given)", measured,
                "no line separates a disk from the ring around it (near chance); in (x1, x2, x1^2 + x2^2) the "
                "plane x1^2 + x2^2 = 1 does, and so does a linear SVM on random features of the RBF kernel; "
                "lambda " + text::number(svm_lambda) + ", lr " + rate_text(svm_eta) + ", " + std::to_string(epochs) +
                    " full-batch steps");
      table.add("the SVM's subgradient (binary hinge + L2), written with gradlab::ops", "-",
                "max rel. error " + text::sci(svm_max_rel, 2) + " vs finite differences: " +
                    (svm_check_failed ? "FAIL" : "PASS"),
                "the weights of the first seed's three SVMs after training");
    }
    table.print();
    table.write(options.out);
    std::cout << "\nwall time of the training runs: " << text::fixed(lab_seconds, 1) << " s\n";

    lab::write_summary(options, {{"report", "004"},
                                 {"data", {{"set", "circles"}, {"train", n_train}, {"test", n_test},
                                           {"noise", data::circles_default_noise}}},
                                 {"network", "2-4-2, tanh hidden, softmax output, Glorot-uniform weights, zero biases"},
                                 {"epochs", epochs},
                                 {"q10_learning_rate", eta},
                                 {"mini_batch", mini_batch},
                                 {"gradient_check", {{"max_relative_error", max_rel}, {"verdict", check_failed ? "FAIL" : "PASS"}}},
                                 {"svm", {{"objective", "mean of max(0, 1 - y (w phi(x) + b)) + (lambda / 2) ||w||^2"},
                                          {"lambda", svm_lambda}, {"learning_rate", svm_eta},
                                          {"fourier_features", fourier_count}, {"fourier_sigma", fourier_sigma},
                                          {"gradient_check", {{"max_relative_error", svm_max_rel},
                                                              {"verdict", svm_check_failed ? "FAIL" : "PASS"}}}}},
                                 {"table", table.json()},
                                 {"runs", runs}});
    if (check_failed || svm_check_failed) {
      std::cout << (check_failed ? "the hand-written backward" : "the SVM's subgradient")
                << " FAILED the finite-difference check\n";
      return 1;
    }
    return 0;
  });
}
