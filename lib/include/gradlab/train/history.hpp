#pragma once
// What a training run measured: one Evaluation per evaluation point (k per epoch as asked),
// the wall time of each epoch, and how the run ended.
#include "gradlab/output/csv.hpp"
#include "gradlab/train/metrics.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gradlab::train {

struct Evaluation {
  double epoch = 0.0;          // in epochs, fractional: 0.2, 0.4, ... at 5 evaluations per epoch
  arma::uword step = 0;        // optimiser steps so far
  double learning_rate = 0.0;  // the rate of the last step
  double seconds = 0.0;        // wall time since training started (evaluation time included)
  Metrics train, validation, test;  // NaN where a set was not given
};

enum class Outcome { completed, diverged, interrupted };
const char* to_string(Outcome outcome);

struct History {
  std::vector<Evaluation> evaluations;
  std::vector<double> epoch_seconds;  // wall time of each finished epoch, evaluations included
  Outcome outcome = Outcome::completed;
  std::string note;  // for diverged / interrupted: where and why

  // history.csv: epoch, step, learning_rate, train_loss, train_accuracy, validation_loss,
  // validation_accuracy, test_loss, test_accuracy, seconds, status. The status column is "ok",
  // or on the last row "diverged" / "interrupted" when the run ended so.
  output::Csv to_csv() const;
  // The last evaluation (throws std::logic_error when there is none).
  const Evaluation& last() const;
  // The evaluation with the best validation accuracy (the last one when there is no validation).
  const Evaluation& best_by_validation() const;
  nlohmann::json summary() const;  // outcome, note, final and best figures, epoch times
};

}  // namespace gradlab::train
