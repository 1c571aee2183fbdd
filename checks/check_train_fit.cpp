// The training loop (train::fit) and a run (train::run): it learns, it repeats itself for a
// seed, it evaluates where it says, it applies the schedule per round, it stops and says so
// when the loss blows up or when asked, and it refuses data it cannot train on.
#include "gradlab/text.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/schedule.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/train/metrics.hpp"
#include "gradlab/train/run.hpp"
#include "gradlab/train/trainer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include "support.hpp"

namespace fs = std::filesystem;
using namespace gradlab;
using Catch::Matchers::Contains;

using namespace gradlab::checks;

namespace {

data::Dataset disk(arma::uword n, std::uint64_t seed) {
  Rng rng(seed);
  return data::make_disk(n, rng);
}

// A small MLP, its loss and SGD, built from a seed.
struct Small {
  nn::Sequential net;
  nn::CrossEntropyLoss loss;
  std::unique_ptr<optim::SGD> sgd;
  Small(std::uint64_t seed, double lr, double momentum = 0.9, std::vector<arma::uword> sizes = {2, 16, 16, 2},
        const std::string& activation = "tanh") {
    Rng rng(seed);
    net = nn::make_mlp(sizes, activation, false, 0.0, "glorot_uniform", rng);
    optim::SGDOptions o;
    o.learning_rate = lr;
    o.momentum = momentum;
    sgd = std::make_unique<optim::SGD>(net.parameters(), o);
  }
  train::History fit(const data::Dataset& train_set, const train::TrainOptions& options,
                     const data::Dataset* test_set = nullptr) {
    return train::fit(net, loss, *sgd, {&train_set, nullptr, test_set}, options);
  }
};

// Every number of every evaluation but the wall time.
std::vector<double> numbers(const train::History& h) {
  std::vector<double> v;
  for (const train::Evaluation& e : h.evaluations)
    for (double x : {e.epoch, static_cast<double>(e.step), e.learning_rate, e.train.loss, e.train.accuracy,
                     e.validation.loss, e.validation.accuracy, e.test.loss, e.test.accuracy})
      v.push_back(x);
  return v;
}

bool same_numbers(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

}  // namespace

TEST_CASE("fit: a small MLP learns the disk set to more than 95% training accuracy in seconds", "[train]") {
  const data::Dataset train_set = disk(1000, 1), test_set = disk(1000, 2);
  train::RunConfig c;  // 2-16-16-2 tanh, Adam: the disk's inputs are not centred, which Adam minds less than SGD
  c.arch = {2, 16, 16, 2};
  c.activation = "tanh";
  c.optimizer = "adam";
  c.lr = 0.01;
  c.seed = 1;
  train::Model m = train::build(c);
  train::TrainOptions o;
  o.epochs = 40;
  o.batch_size = 20;
  o.seed = 1;
  const auto start = std::chrono::steady_clock::now();
  const train::History h = train::fit(m.net, *m.loss, *m.optimizer, {&train_set, nullptr, &test_set}, o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("train accuracy " << h.last().train.accuracy << ", test accuracy " << h.last().test.accuracy
                         << ", " << seconds << " s");
  CHECK(h.outcome == train::Outcome::completed);
  CHECK(h.last().train.accuracy > 0.95);
  CHECK(h.last().test.accuracy > 0.90);
  CHECK(h.last().train.loss < h.evaluations.front().train.loss);
  CHECK(h.evaluations.size() == 40);
  CHECK(h.epoch_seconds.size() == 40);
  CHECK(seconds < 20.0);  // a few seconds on one core, even under the sanitizers
}

TEST_CASE("fit: the same seed gives the same history, number for number, and another seed another one",
          "[train][seed]") {
  const data::Dataset train_set = disk(300, 3), test_set = disk(300, 4);
  train::TrainOptions o;
  o.epochs = 3;
  o.batch_size = 10;
  o.evals_per_epoch = 3;
  auto history = [&](std::uint64_t seed) {
    Small m(seed, 0.05);
    o.seed = seed;
    return m.fit(train_set, o, &test_set);
  };
  const std::vector<double> first = numbers(history(7)), again = numbers(history(7)), other = numbers(history(8));
  REQUIRE(first.size() == 9 * 9);
  CHECK(same_numbers(first, again));
  CHECK_FALSE(same_numbers(first, other));
  // The same weights but another batch order differ too: the seed reaches the shuffling.
  Small m(7, 0.05);
  o.seed = 9;
  CHECK_FALSE(same_numbers(first, numbers(m.fit(train_set, o, &test_set))));
}

TEST_CASE("fit: k evaluations per epoch land at fractional epochs j/k, after the matching step", "[train]") {
  const data::Dataset train_set = disk(100, 5);
  for (int k : {1, 2, 3, 5, 10}) {
    INFO("evaluations per epoch: " << k);
    Small m(1, 0.05);
    train::TrainOptions o;
    o.epochs = 2;
    o.batch_size = 10;  // 10 steps per epoch
    o.evals_per_epoch = k;
    const train::History h = m.fit(train_set, o);
    REQUIRE(h.evaluations.size() == static_cast<std::size_t>(2 * k));
    for (int i = 0; i < 2 * k; ++i) {
      const int epoch = i / k, j = i % k + 1;
      // The j-th point of an epoch is after round(10 j / k) of its 10 steps.
      const auto in_epoch = static_cast<arma::uword>(std::llround(10.0 * j / k));
      CHECK(h.evaluations[i].step == 10 * static_cast<arma::uword>(epoch) + in_epoch);
      CHECK(h.evaluations[i].epoch == Approx(epoch + static_cast<double>(in_epoch) / 10.0).epsilon(1e-12));
    }
    CHECK(h.evaluations.back().epoch == 2.0);
    // history.csv holds the same points, one row each.
    const output::Csv csv = h.to_csv();
    CHECK(csv.rows() == h.evaluations.size());
  }
  // Report 002's five evaluations per epoch: 0.2, 0.4, ..., 1.0.
  Small m(1, 0.05);
  train::TrainOptions o;
  o.batch_size = 10;
  o.evals_per_epoch = 5;
  const train::History h = m.fit(train_set, o);
  REQUIRE(h.evaluations.size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(h.evaluations[i].epoch == Approx(0.2 * (i + 1)).epsilon(1e-12));
}

TEST_CASE("fit: evaluate_at_start adds an evaluation at epoch 0, before the first step, of the untrained net",
          "[train]") {
  const data::Dataset train_set = disk(100, 5);
  train::TrainOptions o;
  o.epochs = 2;
  o.batch_size = 10;
  o.evals_per_epoch = 2;
  const train::History plain = Small(1, 0.05).fit(train_set, o);
  o.evaluate_at_start = true;
  Small m(1, 0.05);
  const double loss_before = [&] {
    Small fresh(1, 0.05);
    return train::evaluate(fresh.net, fresh.loss, train_set).loss;
  }();
  const train::History h = m.fit(train_set, o);
  REQUIRE(h.evaluations.size() == plain.evaluations.size() + 1);
  CHECK(h.evaluations.front().epoch == 0.0);
  CHECK(h.evaluations.front().step == 0);
  CHECK(h.evaluations.front().train.loss == loss_before);
  // The rest is the run without it, number for number: the evaluation takes no step.
  for (std::size_t i = 0; i < plain.evaluations.size(); ++i) {
    CHECK(h.evaluations[i + 1].step == plain.evaluations[i].step);
    CHECK(h.evaluations[i + 1].train.loss == plain.evaluations[i].train.loss);
  }
}

TEST_CASE("fit: the schedule sets the optimiser's rate before every round (report 002's halve rule)",
          "[train][schedule]") {
  const data::Dataset train_set = disk(200, 6);
  const optim::HalveOnLossDecrease halve(0.08);
  SECTION("rounds are evaluations") {
    Small m(2, 0.08, 0.0);
    train::TrainOptions o;
    o.epochs = 4;
    o.batch_size = 20;
    o.evals_per_epoch = 5;
    o.schedule = &halve;
    o.schedule_per_evaluation = true;
    const train::History h = m.fit(train_set, o);
    REQUIRE(h.evaluations.size() == 20);
    // Round r ran at the rate the rule gives from the losses of rounds 0 .. r-1.
    std::vector<double> losses;
    int halvings = 0;
    for (std::size_t r = 0; r < h.evaluations.size(); ++r) {
      const double expected = halve.learning_rate(r, losses);
      INFO("round " << r);
      CHECK(h.evaluations[r].learning_rate == expected);
      if (r > 0 && expected < h.evaluations[r - 1].learning_rate) ++halvings;
      losses.push_back(h.evaluations[r].train.loss);
    }
    CHECK(halvings >= 2);  // the rule really acted
    CHECK(m.sgd->learning_rate() == halve.learning_rate(20, losses));  // set again after the last round
  }
  SECTION("rounds are epochs: the rate changes only between epochs") {
    Small m(2, 0.08, 0.0);
    train::TrainOptions o;
    o.epochs = 5;
    o.batch_size = 20;
    o.evals_per_epoch = 2;
    o.schedule = &halve;
    const train::History h = m.fit(train_set, o);
    REQUIRE(h.evaluations.size() == 10);
    std::vector<double> epoch_losses;
    for (int epoch = 0; epoch < 5; ++epoch) {
      const double expected = halve.learning_rate(static_cast<std::size_t>(epoch), epoch_losses);
      CHECK(h.evaluations[2 * epoch].learning_rate == expected);
      CHECK(h.evaluations[2 * epoch + 1].learning_rate == expected);
      epoch_losses.push_back(h.evaluations[2 * epoch + 1].train.loss);  // the end-of-epoch loss
    }
    CHECK(h.evaluations.back().learning_rate < 0.08);
  }
}

TEST_CASE("fit: a diverging run (learning rate 10) is stopped and marked diverged with a note", "[train][diverged]") {
  const data::Dataset train_set = disk(200, 7);
  for (double lr : {10.0, 100.0}) {
    INFO("lr " << lr);
    Rng rng(1);
    nn::Sequential net = nn::make_mlp({2, 32, 32, 2}, "relu", false, 0.0, "he_normal", rng);
    nn::MSELoss loss;  // squared errors overflow once the weights blow up
    optim::SGDOptions so;
    so.learning_rate = lr;
    so.momentum = 0.9;
    optim::SGD sgd(net.parameters(), so);
    train::TrainOptions o;
    o.epochs = 50;
    o.batch_size = 10;
    const train::History h = train::fit(net, loss, sgd, {&train_set, nullptr, nullptr}, o);
    REQUIRE(h.outcome == train::Outcome::diverged);
    CHECK_THAT(h.note, Contains("became") && Contains("epoch"));
    CHECK(h.last().step < 50u * 20u);  // stopped, not run to the end
    CHECK(h.epoch_seconds.size() < 50);
    const std::string csv = h.to_csv().text();
    CHECK_THAT(csv, Contains(",diverged\n"));
    CHECK(h.summary()["outcome"] == "diverged");
  }
}

TEST_CASE("run: in a grid, the diverged run is marked in history.csv and summary.json and the others go on",
          "[train][diverged]") {
  TempFolder tmp;
  const data::Dataset train_set = disk(200, 8), test_set = disk(200, 9);
  std::vector<std::string> outcomes;
  for (double lr : {0.05, 10.0, 0.1}) {
    train::RunConfig c;
    c.arch = {2, 32, 32, 2};
    c.activation = "relu";
    c.loss = "mse";
    c.init = "he";
    c.lr = lr;
    c.momentum = 0.9;
    c.batch = 10;
    c.epochs = 20;
    const fs::path out = tmp / ("lr-" + text::number(lr));
    const train::History h = train::run(c, {&train_set, nullptr, &test_set}, {out, {}, {}, {}});
    outcomes.push_back(train::to_string(h.outcome));
    const std::string csv = read_bytes(out / "history.csv");
    const nlohmann::json summary = nlohmann::json::parse(read_bytes(out / "summary.json"));
    CHECK(summary["result"]["outcome"] == train::to_string(h.outcome));
    if (h.outcome == train::Outcome::diverged) {
      CHECK(csv.substr(csv.rfind('\n', csv.size() - 2) + 1).ends_with(",diverged\n"));
      CHECK_THAT(summary["result"]["note"].get<std::string>(), Contains("became"));
    } else {
      CHECK_THAT(csv, !Contains("diverged"));
    }
  }
  CHECK(outcomes == std::vector<std::string>{"completed", "diverged", "completed"});
}

TEST_CASE("fit: the stop flag stops after the current step with outcome interrupted", "[train][interrupt]") {
  const data::Dataset train_set = disk(200, 10);
  SECTION("set before the first step: one step, then an evaluation, then the end") {
    Small m(1, 0.05);
    std::atomic<bool> stop{true};
    train::TrainOptions o;
    o.epochs = 5;
    o.batch_size = 10;
    o.stop = &stop;
    const train::History h = m.fit(train_set, o);
    CHECK(h.outcome == train::Outcome::interrupted);
    REQUIRE(h.evaluations.size() == 1);
    CHECK(h.last().step == 1);
    CHECK(m.sgd->steps() == 1);
    CHECK(h.last().epoch == Approx(0.05));
    CHECK_THAT(h.note, Contains("stopped") && Contains("step 1"));
    CHECK_THAT(h.to_csv().text(), Contains(",interrupted\n"));
  }
  SECTION("set during an evaluation: the run ends at that step, measured once") {
    Small m(1, 0.05);
    std::atomic<bool> stop{false};
    train::TrainOptions o;
    o.epochs = 5;
    o.batch_size = 10;
    o.evals_per_epoch = 4;
    o.stop = &stop;
    int calls = 0;
    o.on_evaluation = [&](const train::History& h) {
      ++calls;
      if (h.evaluations.size() == 3) stop = true;
    };
    const train::History h = m.fit(train_set, o);
    CHECK(h.outcome == train::Outcome::interrupted);
    REQUIRE(h.evaluations.size() == 3);
    CHECK(h.last().step == 15);  // 20 steps per epoch, the third of four evaluations
    CHECK(m.sgd->steps() == 15);
    CHECK(calls == 4);  // once more after the stop, so a file written there says interrupted
  }
}

TEST_CASE("fit: data it cannot train on is refused naming fit, the set and what is wrong", "[train][errors]") {
  data::Dataset good = disk(100, 11);
  good.name = "disk train";
  Small m(1, 0.05);
  train::TrainOptions o;
  o.batch_size = 10;
  auto message = [&](const data::Dataset& set, const train::TrainOptions& options) {
    return error_of<std::invalid_argument>([&] { m.fit(set, options); });
  };
  data::Dataset nan = good;
  nan.X(1, 17) = arma::datum::nan;
  CHECK_THAT(message(nan, o), Contains("fit") && Contains("disk train") && Contains("NaN") && Contains("sample 17"));
  data::Dataset inf = good;
  inf.X(0, 3) = arma::datum::inf;
  CHECK_THAT(message(inf, o), Contains("fit") && Contains("NaN or infinite"));
  data::Dataset label = good;
  label.labels(5) = 2;
  CHECK_THAT(message(label, o), Contains("fit") && Contains("label 2 of sample 5") && Contains("2 classes"));
  data::Dataset short_labels = good;
  short_labels.labels = short_labels.labels.head(99);
  CHECK_THAT(message(short_labels, o), Contains("fit") && Contains("2x100") && Contains("99 labels"));
  data::Dataset wide = good;
  wide.X = arma::join_cols(wide.X, wide.X);
  CHECK_THAT(message(wide, o), Contains("fit") && Contains("4 features"));
  data::Dataset empty = good;
  empty.X.set_size(2, 0);
  empty.labels.reset();
  CHECK_THAT(message(empty, o), Contains("fit") && Contains("the 0 samples of disk train"));
  train::TrainOptions bad = o;
  bad.batch_size = 0;
  CHECK_THAT(message(good, bad), Contains("batch 0"));
  bad.batch_size = 101;
  CHECK_THAT(message(good, bad), Contains("batch 101") && Contains("100 samples"));
  bad = o;
  bad.epochs = 0;
  CHECK_THAT(message(good, bad), Contains("epochs 0"));
  bad = o;
  bad.evals_per_epoch = 0;
  CHECK_THAT(message(good, bad), Contains("evals_per_epoch 0"));
  // Nothing was trained by any of these calls.
  CHECK(m.sgd->steps() == 0);
}
