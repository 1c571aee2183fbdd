// lab-cnn: report 003, section 4: a VGG-style convolutional network against the MLPs of the
// report's earlier sections. The report trained a CNN "based on VGG-Net" with Adam on CIFAR-10,
// best test accuracy 0.7805, "a drastic increase in performance with respect to DNNs" (its best
// MLP: 58.3%). Here the CNN (nn::make_cnn: 3x3 convolutions, ReLU, 2x2 max pooling, then dense
// layers) and lab-batchnorm's tuned MLP train side by side on the same data, with the same
// optimiser, seed and batches: CIFAR-10 with --cifar DIR, else MNIST (a stand-in, said on every
// figure and table row). Each network is a cell of the labs' runner (gradlab/programs/sweep.hpp),
// its history.csv and summary.json in out/lab-cnn/cells/<network>/; the merge draws the curves
// per network (accuracy and loss, train and test) and the test accuracy of both, and writes
// comparison.csv and summary.json.
#include "gradlab/programs/sweep.hpp"

#include "gradlab/data/cifar10.hpp"
#include "gradlab/data/split.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/run.hpp"

#include <algorithm>
#include <iostream>
#include <optional>

using namespace gradlab;
using json = nlohmann::json;

namespace {

struct Network {
  std::string key, title;
  train::RunConfig config;
  std::string report;  // the report's best test accuracy (CIFAR-10)
};

// The VGG-style stack of the lab (two blocks of two 3x3 convolutions, each block closed by 2x2
// max pooling, then one dense layer); the report's assignment stack is larger (README.md).
const char* default_stack = "c16-c16-p-c32-c32-p-128";

std::string signed_points(double difference) {
  return (difference >= 0 ? "+" : "") + text::fixed(100.0 * difference, 2) + " points";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Report 003, section 4: a VGG-style CNN against the tuned MLP.", "lab-cnn"};
  lab::LabOptions options;
  options.name = "lab-cnn";
  lab::add_options(app, options);
  lab::add_sweep_options(app, options);
  std::string cifar, stack = default_stack;
  arma::uword train_size = 0, validation_size = 0, test_size = 0, batch = 32;
  int epochs = 0;
  double lr = 1e-4;
  app.add_option("--cifar", cifar, "CIFAR-10 binary folder (data_batch_1.bin .. 5, test_batch.bin); else MNIST");
  app.add_option("--stack", stack, "the CNN, as nn::make_cnn reads it (cK conv, p max pool, N dense)")
      ->capture_default_str();
  app.add_option("--train-size", train_size, "training samples (quick 2000; full: MNIST 50000, CIFAR-10 45000)");
  app.add_option("--validation-size", validation_size, "validation samples (quick 1000; full: MNIST 10000, CIFAR-10 5000)");
  app.add_option("--test-size", test_size, "test samples (quick 1000, full 10000)");
  app.add_option("--epochs", epochs, "epochs of both networks (quick 2, full 3)");
  app.add_option("--batch", batch, "batch size of both networks")->capture_default_str();
  app.add_option("--lr", lr, "Adam's learning rate for both networks")->capture_default_str();
  for (const char* name : {"--train-size", "--validation-size", "--test-size", "--epochs", "--batch", "--lr"})
    app.get_option(name)->check(CLI::PositiveNumber);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    const bool full = options.full, on_cifar = !cifar.empty();
    const std::string data_name = on_cifar ? "CIFAR-10" : "MNIST";

    // Both networks: Adam, the same learning rate, batch, epochs, seed (weights and batch order).
    const ops::ImageShape image = on_cifar ? ops::ImageShape{3, 32, 32} : ops::ImageShape{1, 28, 28};
    train::RunConfig base;
    base.loss = "ce";
    base.optimizer = "adam";
    base.lr = lr;
    base.epochs = epochs ? epochs : (full ? 3 : 2);
    base.evals_per_epoch = full ? 2 : 4;
    base.evaluate_at_start = !full;  // a quick run's curves from epoch 0
    base.train_eval_limit = 1000;  // training metrics on 1,000 samples
    base.seed = options.seed;
    Network cnn{"cnn", "CNN " + stack, base, "78.05%"};
    cnn.config.cnn = stack;
    cnn.config.image = image;
    cnn.config.init = "he";
    cnn.config.arch = {image.size(), 10};
    // lab-batchnorm's tuned MLP (the report's best DNN): 1000-800-600-400 ReLU, dropout 0.1, L2 1e-4
    Network mlp{"mlp", "MLP 1000-800-600-400", base, "58.3%"};
    mlp.config.arch = {image.size(), 1000, 800, 600, 400, 10};
    mlp.config.init = "glorot";
    mlp.config.dropout = 0.1;
    mlp.config.weight_decay = 1e-4;
    try {  // a bad --stack stops the lab before it reads or writes anything
      (void)train::build(cnn.config);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("--stack " + stack + ": " + e.what());
    }

    // The data: a bad --data or --cifar stops the lab before it writes anything.
    const arma::uword n_train = train_size ? train_size : (full ? (on_cifar ? 45000 : 50000) : 2000);
    const arma::uword n_validation = validation_size ? validation_size : (full ? (on_cifar ? 5000 : 10000) : 1000);
    const arma::uword n_test = test_size ? test_size : (full ? 10000 : 1000);
    std::optional<lab::MnistSets> sets;
    lab::Sweep sweep;
    for (const Network* n : {&cnn, &mlp})
      sweep.cells.push_back({n->key, {{"network", n->key}, {"data", data_name}, {"stack", stack}, {"lr", lr},
                                      {"batch", batch}, {"epochs", base.epochs}, {"train_size", n_train},
                                      {"validation_size", n_validation}, {"test_size", n_test}}});
    sweep.prepare = [&] {
      if (on_cifar) {
        data::Cifar10 c = data::load_cifar10(cifar);
        // The assignment's preprocessing as we take it: subtract the training set's mean image.
        const arma::vec mean_image = arma::mean(c.train.X, 1);
        Rng rng(options.seed);
        data::Splits s = data::split_train_validation_test(c.train, c.test, n_train, n_validation, rng);
        sets = lab::MnistSets{std::move(s.train), std::move(s.validation), std::move(s.test)};
        for (data::Dataset* d : {&sets->train, &sets->validation, &sets->test}) d->X.each_col() -= mean_image;
      } else {
        sets = lab::load_mnist_or_skip(options, n_train, n_validation, options.seed);
        if (!sets) return false;
      }
      if (n_test < sets->test.size()) sets->test = data::subset(sets->test, n_test);
      std::cout << "lab-cnn (report 003, section 4): " << (full ? "full" : "quick") << " mode, results in "
                << options.out.string() << '\n';
      base.batch = std::min(batch, sets->train.size());
      cnn.config.batch = mlp.config.batch = base.batch;

      std::cout << data_name << ": " << sets->train.size() << " train, " << sets->validation.size() << " validation, "
                << sets->test.size() << " test; Adam lr " << text::number(lr) << ", batch " << base.batch << ", "
                << base.epochs << " epochs\n";
      return true;
    };
    const std::string stand_in = on_cifar ? "" : "report: CIFAR-10, ours: MNIST; ";
    auto network = [&](const std::string& key) -> Network& { return key == "cnn" ? cnn : mlp; };
    sweep.run = [&](const lab::Cell& cell, const std::filesystem::path& folder) -> json {
      Network& n = network(cell.id);
      n.config.batch = std::min(batch, sets->train.size());
      n.config.label = n.key;
      train::RunFiles files;
      files.out = folder;
      files.extra = {{"lab", options.name}, {"network", n.title}, {"data", data_name}};
      // evaluated on the training and test sets only: nothing here is picked by validation
      const train::History h = train::run(n.config, {&sets->train, nullptr, &sets->test}, files,
                                          &interrupt_flag(), options.progress);
      double best_test = 0, epoch_seconds = 0;
      for (const auto& e : h.evaluations)
        if (e.test.accuracy == e.test.accuracy) best_test = std::max(best_test, e.test.accuracy);
      for (double t : h.epoch_seconds) epoch_seconds += t / static_cast<double>(h.epoch_seconds.size());
      std::cout << "  " << n.title << ": best test " << lab::percent(best_test, 2) << ", "
                << text::fixed(epoch_seconds, 1) << " s per epoch" << std::endl;
      return {{"outcome", train::to_string(h.outcome)}, {"best_test", best_test},
              {"final_test", h.last().test.accuracy}, {"final_train", h.last().train.accuracy},
              {"epochs", h.last().epoch}, {"seconds_per_epoch", epoch_seconds},
              {"parameters", train::build(n.config).net.parameter_count()}, {"batch", n.config.batch},
              {"train_samples", sets->train.size()}, {"config", train::to_json(n.config)},
              {"summary", lab::without_times(h.summary())}};
    };

    sweep.merge = [&](const std::vector<lab::CellResult>& done) {
      text::Table rt({"network", "parameters", "best test", "final test", "train (final)", "s / epoch", "outcome"});
      for (const lab::CellResult& c : done) {
        const json& r = c.result;
        const std::string& title = network(c.cell.id).title;
        rt.add_row({title, std::to_string(r["parameters"].get<arma::uword>()), lab::percent(r["best_test"], 2),
                    lab::percent(r["final_test"], 2), lab::percent(r["final_train"], 2),
                    text::fixed(r["seconds_per_epoch"], 1), r["outcome"]});
        lab::render_or_warn(lab::history_figure("curves-" + c.cell.id, data_name + ": " + title + ", accuracy and loss vs. epochs",
                                                c.file(lab::cell_history), false, r["outcome"], "cross-entropy",
                                                r["config"]["epochs"].get<int>()),
                            options.out);
      }
      rt.print(std::cout);

      {  // the report's claim in one figure: test accuracy of both networks against epochs
        output::Figure f;
        f.name = "test-accuracy";
        f.title = data_name + ": test accuracy, CNN vs MLP (Adam, same batches)";
        f.xlabel = "epoch";
        f.ylabel = "test accuracy (%)";
        f.commands = {"set xtics 1"};
        for (const lab::CellResult& c : done)
          f.series.push_back({c.file(lab::cell_history), "epoch", "(100*column('test_accuracy'))", network(c.cell.id).title,
                              "linespoints", c.cell.id == "cnn" ? "lw 2 pt 7 ps 0.7 lc rgb '#d62728'" : "dt 2 lw 2 pt 6 ps 0.8 lc rgb '#1f77b4'",
                              ""});
        lab::render_or_warn(f, options.out);
      }

      lab::Comparison table("Report 003, section 4: a VGG-style CNN vs the tuned MLP, on " +
                            (on_cifar ? data_name : "MNIST (the report's accuracies are for CIFAR-10)") + ": report vs gradlab");
      auto find = [&](const std::string& key) -> const json* {
        for (const lab::CellResult& r : done)
          if (r.cell.id == key) return &r.result;
        return nullptr;
      };
      auto acc = [](const json* r) {
        if (!r) return std::string("-");
        return lab::percent((*r)["best_test"], 2) + " (final " + lab::percent((*r)["final_test"], 2) + ")" +
               ((*r)["outcome"] == "completed" ? "" : "; " + (*r)["outcome"].get<std::string>() + " at epoch " +
                                                          text::fixed((*r)["epochs"], 2));
      };
      const json *c = find("cnn"), *m = find("mlp");
      const std::string batch_used = std::to_string(done.front().result["batch"].get<arma::uword>());
      table.add("CNN: best test accuracy", cnn.report, acc(c),
                stand_in + stack + ", Adam " + text::number(lr) + ", batch " + batch_used + ", " +
                    std::to_string(base.epochs) + " epochs (report: the assignment's larger stack, README.md)");
      table.add("tuned MLP: best test accuracy", mlp.report, acc(m), stand_in + "1000-800-600-400, dropout 0.1, L2 1e-4");
      if (c && m)
        table.add("CNN minus MLP, best test accuracy", "+19.75 points (\"a drastic increase\")",
                  signed_points((*c)["best_test"].get<double>() - (*m)["best_test"].get<double>()),
                  on_cifar ? "" : "report: CIFAR-10, ours: MNIST");
      for (const lab::CellResult& r : done)
        table.add(network(r.cell.id).title + ": seconds per epoch", "-",
                  text::fixed(r.result["seconds_per_epoch"], 1) + " s (" +
                      std::to_string(r.result["train_samples"].get<arma::uword>()) + " samples)",
                  std::to_string(r.result["parameters"].get<arma::uword>()) + " parameters");
      table.print();
      table.write(options.out);
      return json{{"report", "003"}, {"data", data_name}, {"stack", stack}, {"table", table.json()}};
    };
    return lab::run_sweep(options, sweep);
  });
}
