#include "gradlab/train/history.hpp"

#include "gradlab/text.hpp"

#include <stdexcept>

namespace gradlab::train {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::completed: return "completed";
    case Outcome::diverged: return "diverged";
    case Outcome::interrupted: return "interrupted";
  }
  return "?";
}

output::Csv History::to_csv() const {
  output::Csv csv({"epoch", "step", "learning_rate", "train_loss", "train_accuracy",
                   "validation_loss", "validation_accuracy", "test_loss", "test_accuracy",
                   "seconds", "status"});
  for (std::size_t i = 0; i < evaluations.size(); ++i) {
    const Evaluation& e = evaluations[i];
    const bool last_row = i + 1 == evaluations.size();
    const std::string status =
        last_row && outcome != Outcome::completed ? to_string(outcome) : "ok";
    std::vector<std::string> row;
    for (double v : {e.epoch, static_cast<double>(e.step), e.learning_rate, e.train.loss,
                     e.train.accuracy, e.validation.loss, e.validation.accuracy, e.test.loss,
                     e.test.accuracy, e.seconds})
      row.push_back(text::number(v));
    row.push_back(status);
    csv.add_row(std::move(row));
  }
  return csv;
}

const Evaluation& History::last() const {
  if (evaluations.empty()) throw std::logic_error("History::last: no evaluation was recorded");
  return evaluations.back();
}

const Evaluation& History::best_by_validation() const {
  const Evaluation* best = &last();
  for (const Evaluation& e : evaluations)
    if (e.validation.accuracy == e.validation.accuracy &&  // not NaN
        !(best->validation.accuracy >= e.validation.accuracy))
      best = &e;
  return *best;
}

namespace {
nlohmann::json metrics_json(const Metrics& m) {
  auto value = [](double v) { return v == v ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {{"loss", value(m.loss)}, {"accuracy", value(m.accuracy)}};
}
nlohmann::json evaluation_json(const Evaluation& e) {
  return {{"epoch", e.epoch},
          {"step", e.step},
          {"learning_rate", e.learning_rate},
          {"seconds", e.seconds},
          {"train", metrics_json(e.train)},
          {"validation", metrics_json(e.validation)},
          {"test", metrics_json(e.test)}};
}
}  // namespace

nlohmann::json History::summary() const {
  nlohmann::json j;
  j["outcome"] = to_string(outcome);
  j["note"] = note;
  j["evaluations"] = evaluations.size();
  j["epoch_seconds"] = epoch_seconds;
  if (!evaluations.empty()) {
    j["final"] = evaluation_json(last());
    j["best_by_validation"] = evaluation_json(best_by_validation());
  }
  return j;
}

}  // namespace gradlab::train
