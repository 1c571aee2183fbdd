#include "gradlab/train/trainer.hpp"

#include "gradlab/text.hpp"

#include "gradlab/fast/blas.hpp"
#include "gradlab/data/batches.hpp"
#include "gradlab/fast/memory.hpp"
#include "gradlab/shape.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace gradlab::train {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string duration_text(double seconds) {
  char buffer[32];
  const long s = std::lround(seconds);
  if (s >= 3600) std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buffer, sizeof buffer, "%lds", s);
  return buffer;
}

void validate(nn::Sequential& net, const Sets& sets, const TrainOptions& o) {
  require(sets.train != nullptr, "fit", "no training set given");
  require(o.epochs >= 1, "fit",
          [&] { return "epochs " + std::to_string(o.epochs) + " must be at least 1"; });
  require(o.evals_per_epoch >= 1, "fit", [&] {
    return "evals_per_epoch " + std::to_string(o.evals_per_epoch) + " must be at least 1";
  });
  require(o.batch_size >= 1 && o.batch_size <= sets.train->size(), "fit", [&] {
    return "batch " + std::to_string(o.batch_size) + " must be between 1 and the " +
           std::to_string(sets.train->size()) + " samples of " + sets.train->name;
  });
  // The network's input must match the data: one forward on one sample says so with the
  // shapes (the first Linear layer names both).
  for (const data::Dataset* set : {sets.train, sets.validation, sets.test}) {
    if (set == nullptr) continue;
    require(set->size() > 0, "fit", [&] { return set->name + " is empty"; });
    // NaN or Inf features, labels out of range or a label count that differs from the samples
    // would otherwise show up much later as a "diverged" run or a crash inside a loss.
    data::check_dataset(*set, "fit");
    try {
      const nn::Mode mode = net.mode();
      net.set_mode(nn::Mode::eval);
      net.forward(set->X.col(0));
      net.set_mode(mode);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("fit: the network " + net.describe() + " does not fit " +
                                  set->name + " (" + std::to_string(set->features()) +
                                  " features): " + e.what());
    }
  }
}

// The steps of an epoch after which to evaluate: evals_per_epoch points spread evenly, the
// last one at the end of the epoch.
std::vector<arma::uword> evaluation_points(arma::uword steps_per_epoch, int evals_per_epoch) {
  std::vector<arma::uword> points;
  for (int k = 1; k <= evals_per_epoch; ++k) {
    const auto p = static_cast<arma::uword>(
        std::llround(static_cast<double>(k) * static_cast<double>(steps_per_epoch) / evals_per_epoch));
    if (p >= 1 && (points.empty() || p > points.back())) points.push_back(p);
  }
  return points;
}

}  // namespace

History fit(nn::Sequential& net, nn::Loss& loss, optim::Optimizer& optimizer, const Sets& sets,
            const TrainOptions& o) {
  validate(net, sets, o);
  History history;
  Rng rng(o.seed);
  data::Batches batches(*sets.train, o.batch_size, rng);
  const arma::uword steps_per_epoch = batches.batches_per_epoch();
  const std::vector<arma::uword> points = evaluation_points(steps_per_epoch, o.evals_per_epoch);
  const auto start = Clock::now();
  std::vector<double> round_losses;  // training loss at the end of each finished round
  std::size_t round = 0;
  arma::uword step = 0;
  double last_loss = arma::datum::nan;

  // BLAS threads by the policy of gradlab/fast/blas.hpp: the largest product of a step is the largest
  // weight matrix times the batch (training) or times 1,000 (evaluation's chunks). At small
  // batches one thread is faster than two.
  double largest_weight = 0.0;
  for (const gradlab::Parameter& p : net.parameters())
    largest_weight = std::max(largest_weight, static_cast<double>(p.value->n_elem));
  const int train_threads = fast::blas::threads_for(largest_weight * static_cast<double>(o.batch_size));
  const int evaluation_threads = fast::blas::threads_for(largest_weight * 1000.0);
  fast::blas::ScopedThreads training_threads(train_threads);
  fast::keep_freed_memory();  // every step frees and takes the same blocks again

  auto set_rate = [&] {
    if (o.schedule) optimizer.set_learning_rate(o.schedule->learning_rate(round, round_losses));
  };
  auto evaluate_all = [&](double epoch) {
    fast::blas::ScopedThreads threads(evaluation_threads);
    Evaluation e;
    e.epoch = epoch;
    e.step = step;
    e.learning_rate = optimizer.learning_rate();
    e.train = evaluate(net, loss, *sets.train, 1000, o.train_eval_limit);
    if (sets.validation) e.validation = evaluate(net, loss, *sets.validation);
    if (sets.test) e.test = evaluate(net, loss, *sets.test);
    e.seconds = seconds_since(start);
    history.evaluations.push_back(e);
    if (!std::isfinite(e.train.loss) && history.outcome == Outcome::completed) {
      history.outcome = Outcome::diverged;
      history.note = "the training loss became " + text::number(e.train.loss) + " at epoch " +
                     text::number(epoch) + " (step " + std::to_string(step) + ")";
    }
    if (o.on_evaluation) o.on_evaluation(history);
    return e;
  };
  auto progress = [&](int epoch, arma::uword in_epoch, bool final_line) {
    if (!o.progress) return;
    const double done = (static_cast<double>(epoch) * steps_per_epoch + in_epoch) /
                        (static_cast<double>(o.epochs) * steps_per_epoch);
    const double elapsed = seconds_since(start);
    const double eta = done > 0 ? elapsed * (1.0 - done) / done : 0.0;
    std::fprintf(stderr, "\r%s%sepoch %d/%d  step %llu/%llu  loss %.4f  %s  ETA %s   %s",
                 o.progress_label.c_str(), o.progress_label.empty() ? "" : "  ", epoch + 1,
                 o.epochs, static_cast<unsigned long long>(in_epoch),
                 static_cast<unsigned long long>(steps_per_epoch), last_loss,
                 history.evaluations.empty()
                     ? ""
                     : ("acc " + text::number(std::round(1000.0 * history.last().train.accuracy) / 10.0) + "%").c_str(),
                 duration_text(eta).c_str(), final_line ? "\n" : "");
    std::fflush(stderr);
  };

  set_rate();
  if (o.evaluate_at_start) evaluate_all(0.0);
  data::Batch batch;
  for (int epoch = 0; epoch < o.epochs && history.outcome == Outcome::completed; ++epoch) {
    const auto epoch_start = Clock::now();
    std::size_t next_point = 0;
    if (!o.schedule_per_evaluation && epoch > 0) set_rate();
    net.set_mode(nn::Mode::train);
    for (arma::uword in_epoch = 1; in_epoch <= steps_per_epoch; ++in_epoch) {
      batches.next(batch);
      // forward, loss, backward (every gradient assigned), update
      // batch.X stays as it is until the next batch: the first layer keeps a reference to it
      const arma::mat logits = net.forward_borrowed(batch.X);
      last_loss = loss.forward(logits, batch.labels);
      if (!std::isfinite(last_loss)) {
        history.outcome = Outcome::diverged;
        history.note = "the loss became " + text::number(last_loss) + " at epoch " +
                       std::to_string(epoch + 1) + ", step " + std::to_string(step + 1) +
                       " (learning rate " + text::number(optimizer.learning_rate()) + ")";
        evaluate_all(epoch + static_cast<double>(in_epoch - 1) / steps_per_epoch);
        break;
      }
      // backward (the data need no gradient) and the optimiser's step, each layer's parameters
      // updated as soon as their gradients are ready
      net.backward_and_update(loss.backward(), optimizer);
      ++step;
      if (next_point < points.size() && in_epoch == points[next_point]) {
        ++next_point;
        const Evaluation& e = evaluate_all(epoch + static_cast<double>(in_epoch) / steps_per_epoch);
        net.set_mode(nn::Mode::train);
        if (history.outcome != Outcome::completed) break;
        if (o.schedule_per_evaluation || in_epoch == steps_per_epoch) round_losses.push_back(e.train.loss);
        if (o.schedule_per_evaluation) {
          ++round;
          set_rate();
        }
      }
      if (o.progress && (in_epoch % 50 == 0 || in_epoch == steps_per_epoch)) progress(epoch, in_epoch, false);
      if (o.stop && o.stop->load()) {
        history.outcome = Outcome::interrupted;
        history.note = "stopped on request at epoch " + std::to_string(epoch + 1) + ", step " +
                       std::to_string(step);
        if (history.evaluations.empty() || history.last().step != step)
          evaluate_all(epoch + static_cast<double>(in_epoch) / steps_per_epoch);
        if (o.on_evaluation) o.on_evaluation(history);  // the status column says interrupted
        break;
      }
    }
    history.epoch_seconds.push_back(seconds_since(epoch_start));
    if (!o.schedule_per_evaluation) ++round;
  }
  if (o.progress) progress(o.epochs - 1, steps_per_epoch, true);
  net.set_mode(nn::Mode::eval);
  return history;
}

}  // namespace gradlab::train
