#pragma once
// The training loop. One step (docs/architecture.md draws the whole path):
//   batch X_b (features x B) -> net.forward -> loss.forward(logits, labels) -> loss.backward
//   -> net.backward_and_update(dY, optimizer): the backward, each layer's parameters updated by
//   the optimiser as soon as their gradients are ready (the same values as backward, then step)
// with evaluations `evals_per_epoch` times per epoch on the sets given, the learning rate set
// from a schedule before every round, and the run stopped (and marked) when the loss stops
// being finite or when asked to stop.
#include "gradlab/data/dataset.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/sequential.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/optim/schedule.hpp"
#include "gradlab/train/history.hpp"

#include <atomic>
#include <cstdint>
#include <functional>

namespace gradlab::train {

struct Sets {
  const data::Dataset* train = nullptr;       // required: the data the steps are taken on
  const data::Dataset* validation = nullptr;  // optional
  const data::Dataset* test = nullptr;        // optional
};

struct TrainOptions {
  int epochs = 1;                 // >= 1
  arma::uword batch_size = 64;    // 1 (online SGD) .. the training set's size (full batch)
  int evals_per_epoch = 1;        // >= 1; report 002 evaluates 5 times per epoch
  // Also evaluate at epoch 0, before the first step, so that the curves start where training does.
  bool evaluate_at_start = false;
  std::uint64_t seed = 1;         // the batches' shuffling
  // Sets the rate before each round; a round is an epoch, or with schedule_per_evaluation the
  // interval between two evaluations (report 002's "rounds"). The schedule sees the training
  // loss measured at the end of every finished round. Null: the optimiser's rate stays.
  const optim::Schedule* schedule = nullptr;
  bool schedule_per_evaluation = false;
  // The training metrics are measured on at most this many training samples (0: all of them).
  arma::uword train_eval_limit = 0;
  bool progress = false;          // a progress line on stderr (use when it is a terminal)
  std::string progress_label;     // printed before it, e.g. "lr 0.01, momentum 0.9"
  const std::atomic<bool>* stop = nullptr;  // when it turns true: stop after the current step
  // Called after every evaluation with the history so far (to write history.csv as it grows).
  std::function<void(const History&)> on_evaluation;
};

// Trains net in place and returns what was measured. Throws std::invalid_argument for bad
// options (naming the option), when the data does not fit the network's input, or when a set
// holds NaN or infinite features or labels out of range (data::check_dataset).
// Sets the BLAS thread count for its run (gradlab/fast/blas.hpp) and keeps freed memory in the
// process for the next step (gradlab/fast/memory.hpp).
History fit(nn::Sequential& net, nn::Loss& loss, optim::Optimizer& optimizer, const Sets& sets,
            const TrainOptions& options);

}  // namespace gradlab::train
