#include "gradlab/train/run.hpp"

#include "gradlab/text.hpp"

#include "gradlab/nn/cnn.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/adam.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/train/checkpoint.hpp"

#include <algorithm>
#include <cmath>

namespace gradlab::train {

namespace {

void option(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

bool one_of(const std::string& value, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return value == n; });
}

std::string value_text(double v) { return text::number(v); }

std::string init_name(const std::string& short_name) {
  if (short_name == "glorot") return "glorot_uniform";
  if (short_name == "he") return "he_normal";
  if (short_name == "normal") return "standard_normal";
  return short_name;
}

}  // namespace

void validate(const RunConfig& c) {
  option(c.arch.size() >= 2, "arch needs at least an input and an output size");
  for (arma::uword s : c.arch) option(s >= 1, "arch sizes must be positive");
  option(one_of(c.activation, {"relu", "tanh", "leaky_relu", "sigmoid"}),
         "activation '" + c.activation + "' is not one of relu, tanh, leaky_relu, sigmoid");
  if (!c.cnn.empty()) {
    option(c.image.size() == c.arch.front(),
           "image " + ops::to_string(c.image) + " has " + std::to_string(c.image.size()) +
               " entries but arch's input is " + std::to_string(c.arch.front()));
    option(c.activation == "relu" && !c.batchnorm && c.dropout == 0.0,
           "cnn '" + c.cnn + "' is built with ReLU, no batch norm and no dropout");
  }
  option(c.dropout >= 0.0 && c.dropout < 1.0, "dropout " + value_text(c.dropout) + " is outside [0, 1)");
  option(one_of(c.loss, {"ce", "mse"}), "loss '" + c.loss + "' is not one of ce, mse");
  option(one_of(c.init, {"glorot", "he", "normal", "glorot_uniform", "he_normal", "standard_normal"}),
         "init '" + c.init + "' is not one of glorot, he, normal");
  option(one_of(c.optimizer, {"sgd", "nesterov", "adam"}),
         "optimizer '" + c.optimizer + "' is not one of sgd, nesterov, adam");
  option(std::isfinite(c.lr) && c.lr > 0.0, "lr " + value_text(c.lr) + " must be positive");
  option(c.momentum >= 0.0 && c.momentum < 1.0, "momentum " + value_text(c.momentum) + " is outside [0, 1)");
  option(c.optimizer != "nesterov" || c.momentum > 0.0, "optimizer nesterov needs momentum > 0");
  option(c.weight_decay >= 0.0, "weight_decay " + value_text(c.weight_decay) + " is negative");
  option(one_of(c.schedule, {"constant", "step", "halve", "cosine"}),
         "schedule '" + c.schedule + "' is not one of constant, step, halve, cosine");
  option(c.batch >= 1, "batch " + std::to_string(c.batch) + " must be at least 1");
  option(c.epochs >= 1, "epochs " + std::to_string(c.epochs) + " must be at least 1");
  option(c.evals_per_epoch >= 1, "evals_per_epoch " + std::to_string(c.evals_per_epoch) + " must be at least 1");
}

nlohmann::json to_json(const RunConfig& c) {
  nlohmann::json j = {{"arch", c.arch},
                      {"activation", c.activation},
                      {"batchnorm", c.batchnorm},
                      {"dropout", c.dropout},
                      {"loss", c.loss},
                      {"init", c.init},
                      {"optimizer", c.optimizer},
                      {"lr", c.lr},
                      {"momentum", c.momentum},
                      {"weight_decay", c.weight_decay},
                      {"schedule", c.schedule},
                      {"schedule_per_evaluation", c.schedule_per_evaluation},
                      {"batch", c.batch},
                      {"epochs", c.epochs},
                      {"evals_per_epoch", c.evals_per_epoch},
                      {"seed", c.seed}};
  if (c.evaluate_at_start) j["evaluate_at_start"] = true;
  if (!c.cnn.empty()) {
    j["cnn"] = c.cnn;
    j["image"] = ops::to_string(c.image);
  }
  return j;
}

Model build(const RunConfig& c) {
  validate(c);
  Model m;
  Rng rng(c.seed);
  if (c.cnn.empty())
    m.net = nn::make_mlp(c.arch, c.activation, c.batchnorm, c.dropout, init_name(c.init), rng);
  else
    m.net = nn::make_cnn(c.image, c.cnn, c.arch.back(), init_name(c.init), rng);
  if (c.loss == "mse") m.loss = std::make_unique<nn::MSELoss>();
  else m.loss = std::make_unique<nn::CrossEntropyLoss>();
  if (c.optimizer == "adam") {
    optim::AdamOptions o;
    o.learning_rate = c.lr;
    o.weight_decay = c.weight_decay;
    m.optimizer = std::make_unique<optim::Adam>(m.net.parameters(), o);
  } else {
    optim::SGDOptions o;
    o.learning_rate = c.lr;
    o.momentum = c.momentum;
    o.nesterov = c.optimizer == "nesterov";
    o.weight_decay = c.weight_decay;
    m.optimizer = std::make_unique<optim::SGD>(m.net.parameters(), o);
  }
  if (c.schedule == "step")
    m.schedule = std::make_unique<optim::StepDecay>(c.lr, c.schedule_gamma,
                                                    static_cast<std::size_t>(std::max(1, c.schedule_every)));
  else if (c.schedule == "halve")
    m.schedule = std::make_unique<optim::HalveOnLossDecrease>(c.lr);
  else if (c.schedule == "cosine")
    m.schedule = std::make_unique<optim::CosineAnnealing>(
        c.lr, c.lr_min > 0.0 ? c.lr_min : c.lr * 1e-3,
        static_cast<std::size_t>(c.epochs * (c.schedule_per_evaluation ? c.evals_per_epoch : 1)));
  return m;
}

History run(const RunConfig& c, const Sets& sets, const RunFiles& files,
            const std::atomic<bool>* stop, bool progress) {
  Model m = build(c);
  if (!files.load.empty()) load_checkpoint(files.load, m.net, m.optimizer.get());
  TrainOptions o;
  o.epochs = c.epochs;
  o.batch_size = c.batch;
  o.evals_per_epoch = c.evals_per_epoch;
  o.evaluate_at_start = c.evaluate_at_start;
  o.seed = c.seed;
  o.schedule = m.schedule.get();
  o.schedule_per_evaluation = c.schedule_per_evaluation;
  o.train_eval_limit = c.train_eval_limit;
  o.progress = progress;
  o.progress_label = c.label;
  o.stop = stop;
  auto summary = [&](const History& h) {
    nlohmann::json j;
    j["config"] = to_json(c);
    j["seed"] = c.seed;
    j["architecture"] = m.net.describe();
    j["parameters"] = m.net.parameter_count();
    j["data"] = {{"train", sets.train ? sets.train->name : ""},
                 {"train_size", sets.train ? sets.train->size() : 0}};
    j["result"] = h.summary();
    if (!files.extra.is_null()) j.update(files.extra);
    return j;
  };
  if (!files.out.empty()) {
    o.on_evaluation = [&](const History& h) {
      h.to_csv().write(files.out / "history.csv");
      // Until fit returns, a run that has not diverged nor been stopped is still running: a
      // summary left by a killed run must not claim it completed.
      nlohmann::json j = summary(h);
      if (h.outcome == Outcome::completed) j["result"]["outcome"] = "running";
      io::write_file_atomically(files.out / "summary.json", j.dump(2) + "\n");
    };
  }
  History h = fit(m.net, *m.loss, *m.optimizer, sets, o);
  if (!files.out.empty()) {
    h.to_csv().write(files.out / "history.csv");
    io::write_file_atomically(files.out / "summary.json", summary(h).dump(2) + "\n");
  }
  if (!files.save.empty()) save_checkpoint(files.save, m.net, m.optimizer.get());
  return h;
}

}  // namespace gradlab::train
