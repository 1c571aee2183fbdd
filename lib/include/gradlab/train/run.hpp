#pragma once
// One training run described by its options, the way the train tool and the labs state them:
// build the network, loss, optimiser and schedule, fit, and write history.csv (after every
// evaluation) and summary.json into an output folder, atomically.
#include "gradlab/ops/image.hpp"
#include "gradlab/train/trainer.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gradlab::train {

struct RunConfig {
  std::vector<arma::uword> arch{784, 100, 100, 10};  // layer sizes, input first
  // A convolutional network instead of the MLP: nn::make_cnn's stack ("c8-p-c16-p-100") on
  // images of shape `image` (C x H x W, C*H*W = arch's input), to arch's output (the classes);
  // ReLU throughout; activation, batchnorm and dropout are the MLP's and must stay off.
  std::string cnn;
  ops::ImageShape image;
  std::string activation = "relu";  // relu | tanh | leaky_relu | sigmoid
  bool batchnorm = false;           // BatchNorm after every hidden Linear
  double dropout = 0.0;             // Dropout after every hidden activation, p in [0, 1)
  std::string loss = "ce";          // ce (softmax cross-entropy on logits) | mse (on one-hot)
  std::string init = "glorot";      // glorot | he | normal
  std::string optimizer = "sgd";    // sgd (momentum optional) | nesterov | adam
  double lr = 0.01;                 // > 0
  double momentum = 0.0;            // [0, 1)
  double weight_decay = 0.0;        // >= 0
  std::string schedule = "constant";  // constant | step | halve | cosine
  double schedule_gamma = 0.5;      // step: factor
  int schedule_every = 10;          // step: every this many rounds
  double lr_min = 0.0;              // cosine: final rate
  bool schedule_per_evaluation = false;  // rounds are evaluations, not epochs
  arma::uword batch = 64;
  int epochs = 1;
  int evals_per_epoch = 1;
  bool evaluate_at_start = false;   // also evaluate at epoch 0, before the first step
  arma::uword train_eval_limit = 0;
  std::uint64_t seed = 1;           // initial weights, dropout masks, batch order
  std::string label;                // shown on the progress line
};

// Throws std::invalid_argument naming the field of RunConfig and its value ("lr -1 must be
// positive").
void validate(const RunConfig& config);

nlohmann::json to_json(const RunConfig& config);

// The parts of a run, built from a config.
struct Model {
  nn::Sequential net;
  std::unique_ptr<nn::Loss> loss;
  std::unique_ptr<optim::Optimizer> optimizer;
  std::unique_ptr<optim::Schedule> schedule;
};
Model build(const RunConfig& config);

struct RunFiles {
  std::filesystem::path out;         // folder for history.csv and summary.json; empty: none
  std::filesystem::path load;        // checkpoint to start from; empty: none
  std::filesystem::path save;        // checkpoint to write at the end; empty: none
  nlohmann::json extra;              // merged into summary.json (e.g. the report's figures)
};

// Builds, optionally loads a checkpoint, fits, writes the files, optionally saves. When the run
// diverges or is interrupted the files say so (status column, "outcome"); until it ends,
// summary.json says "outcome": "running" (so a killed run's files do not claim it completed).
History run(const RunConfig& config, const Sets& sets, const RunFiles& files = {},
            const std::atomic<bool>* stop = nullptr, bool progress = false);

}  // namespace gradlab::train
