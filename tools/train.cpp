// train: one training run from the command line, the building block of the labs.
//   train --dataset mnist --arch 784-100-100-10 --optimizer sgd --lr 0.1 --momentum 0.9 --epochs 1
// Writes history.csv (after every evaluation) and summary.json to --out, atomically.
// Exit status: 0 when the run completed, 1 when it diverged or failed, 2 on bad usage,
// 130 when interrupted (what was measured is written).
#include "gradlab/programs/cli.hpp"
#include "gradlab/programs/sizes.hpp"
#include "gradlab/data/mnist.hpp"
#include "gradlab/data/split.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/run.hpp"

#include <unistd.h>

#include <iostream>
#include <sstream>

using namespace gradlab;

namespace {


// Fails early, before any training, when a folder the run writes into cannot be written.
void require_writable(const std::string& option, const std::filesystem::path& folder,
                      const std::string& shown) {
  try {
    io::write_file_atomically(folder / ".write-test", "");
    std::filesystem::remove(folder / ".write-test");
  } catch (const std::exception& e) {
    throw std::invalid_argument(option + " " + shown + " cannot be written: " + e.what());
  }
}

std::string percent(double fraction) {
  return fraction == fraction ? text::fixed(100.0 * fraction, 2) + "%" : "-";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train a network and record its history.", "train"};
  train::RunConfig c;
  // The tool's defaults: momentum SGD, which reaches 95% test accuracy on MNIST in one epoch.
  c.lr = 0.05;
  c.momentum = 0.9;
  c.batch = 32;
  std::string data_dir, dataset = "mnist", arch = "784-100-100-10", out, save, load;
  arma::uword train_size = 50000, validation_size = 10000, samples = 1000;
  app.add_option("--data", data_dir, "MNIST folder (else $GRADLAB_DATA, else data/mnist)");
  app.add_option("--dataset", dataset, "mnist | disk | circle")
      ->check(CLI::IsMember({"mnist", "disk", "circle"}));
  app.add_option("--arch", arch, "layer sizes, input first, e.g. 784-100-100-10");
  app.add_option("--activation", c.activation, "relu | tanh | leaky_relu | sigmoid")
      ->check(CLI::IsMember({"relu", "tanh", "leaky_relu", "sigmoid"}));
  app.add_flag("--batchnorm", c.batchnorm, "batch normalisation after every hidden Linear");
  app.add_option("--dropout", c.dropout, "dropout probability after every hidden activation");
  app.add_option("--loss", c.loss, "ce | mse")->check(CLI::IsMember({"ce", "mse"}));
  app.add_option("--init", c.init, "glorot | he | normal")->check(CLI::IsMember({"glorot", "he", "normal"}));
  app.add_option("--optimizer", c.optimizer, "sgd | nesterov | adam")
      ->check(CLI::IsMember({"sgd", "nesterov", "adam"}));
  app.add_option("--lr", c.lr, "learning rate (> 0)");
  app.add_option("--momentum", c.momentum, "momentum in [0, 1)");
  app.add_option("--weight-decay", c.weight_decay, "L2 weight decay (>= 0)");
  app.add_option("--schedule", c.schedule, "constant | step | halve | cosine")
      ->check(CLI::IsMember({"constant", "step", "halve", "cosine"}));
  app.add_flag("--schedule-per-evaluation", c.schedule_per_evaluation,
               "step the schedule at every evaluation instead of every epoch");
  app.add_option("--batch", c.batch, "batch size: 1 (online) .. the training set (full batch)");
  app.add_option("--epochs", c.epochs, "epochs (>= 1)");
  app.add_option("--evals-per-epoch", c.evals_per_epoch, "evaluations per epoch (>= 1)");
  app.add_option("--seed", c.seed, "seed of the weights, the split, the data and the batches");
  app.add_option("--train-size", train_size, "MNIST: training samples taken from the 60k file");
  app.add_option("--validation-size", validation_size, "MNIST: validation samples from the rest");
  app.add_option("--samples", samples, "disk / circle: training samples (and as many test samples)");
  app.add_option("--out", out, "folder for history.csv and summary.json");
  app.add_option("--save", save, "write a checkpoint here at the end");
  app.add_option("--load", load, "start from this checkpoint");

  return run_main(app, argc, argv, [&] {
    c.arch = parse_sizes(arch, "--arch");
    train::validate(c);
    if (!out.empty()) require_writable("--out", out, out);
    if (!save.empty()) {  // the checkpoint is written at the end: find out now, not hours later
      const std::filesystem::path folder = std::filesystem::path(save).parent_path();
      if (std::filesystem::is_directory(save)) throw std::invalid_argument("--save " + save + " is a folder");
      require_writable("--save", folder.empty() ? "." : folder, save);
    }

    data::Dataset train_set, validation_set, test_set;
    bool has_validation = false;
    Rng data_rng(c.seed);
    if (dataset == "mnist") {
      if (train_size == 0 || train_size + validation_size > 60000)
        throw std::invalid_argument("--train-size " + std::to_string(train_size) + " + --validation-size " +
                                    std::to_string(validation_size) + " must be between 1 and 60000");
      const data::Mnist mnist = data::load_mnist(data_dir);
      data::Splits s = data::split_train_validation_test(mnist.train, mnist.test, train_size,
                                                         validation_size, data_rng);
      train_set = std::move(s.train);
      validation_set = std::move(s.validation);
      test_set = std::move(s.test);
      has_validation = validation_size > 0;
    } else {
      if (samples < 2) throw std::invalid_argument("--samples must be at least 2");
      train_set = dataset == "disk" ? data::make_disk(samples, data_rng) : data::make_circles(samples, data_rng);
      test_set = dataset == "disk" ? data::make_disk(samples, data_rng) : data::make_circles(samples, data_rng);
      train_set.name = dataset + " train";
      test_set.name = dataset + " test";
    }
    if (c.arch.front() != train_set.features() || c.arch.back() != train_set.classes)
      throw std::invalid_argument("--arch " + arch + " does not fit " + train_set.name + ": it has " +
                                  std::to_string(train_set.features()) + " features and " +
                                  std::to_string(train_set.classes) + " classes");
    if (c.batch > train_set.size())
      throw std::invalid_argument("--batch " + std::to_string(c.batch) + " is larger than the " +
                                  std::to_string(train_set.size()) + " training samples");

    train::Sets sets{&train_set, has_validation ? &validation_set : nullptr, &test_set};
    train::RunFiles files{out, load, save, {{"blas", blas_report()}}};
    const train::History h =
        train::run(c, sets, files, &interrupt_flag(), ::isatty(STDERR_FILENO) != 0);

    text::Table table({"epoch", "train loss", "train acc", "validation acc", "test acc", "seconds"});
    for (const train::Evaluation& e : h.evaluations)
      table.add_row({text::fixed(e.epoch, 2), text::sci(e.train.loss, 4), percent(e.train.accuracy),
                     percent(e.validation.accuracy), percent(e.test.accuracy), text::fixed(e.seconds, 2)});
    table.print(std::cout);
    double mean_epoch = 0.0;
    for (double s : h.epoch_seconds) mean_epoch += s / static_cast<double>(h.epoch_seconds.size());
    std::cout << "outcome: " << train::to_string(h.outcome)
              << (h.note.empty() ? "" : " (" + h.note + ")") << "; mean epoch time "
              << text::fixed(mean_epoch, 2) << " s\n";
    if (!out.empty()) std::cout << "history and summary written to " << out << '\n';
    if (h.outcome == train::Outcome::interrupted) return 130;
    return h.outcome == train::Outcome::completed ? 0 : 1;
  });
}
