#include "gradlab/optim/optimizer.hpp"

#include "gradlab/shape.hpp"
#include "options.hpp"

#include <stdexcept>
#include <utility>

namespace gradlab::optim {

namespace {

// "parameter '0.W' (index 0)": how messages name a parameter.
std::string describe(const gradlab::Parameter& p, std::size_t i) {
  return "parameter '" + p.name + "' (index " + std::to_string(i) + ")";
}

// A call out of order (update outside a step, a parameter updated twice) is a bug in the caller.
void require_order(bool condition, const char* who, const std::string& message) {
  if (!condition) throw std::logic_error(std::string(who) + ": " + message);
}

}  // namespace

Optimizer::Optimizer(std::vector<gradlab::Parameter> parameters, double learning_rate, const char* who)
    : parameters_(std::move(parameters)), learning_rate_(learning_rate), who_(who) {
  require(!parameters_.empty(), who_, "the parameter list is empty");
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    require(parameters_[i].value != nullptr && parameters_[i].grad != nullptr, who_,
            [&] { return describe(parameters_[i], i) + " has a null value or grad pointer"; });
  detail::require_positive(who_, "learning_rate", learning_rate);
}

void Optimizer::set_learning_rate(double learning_rate) {
  detail::require_positive(who_, "learning_rate", learning_rate);
  learning_rate_ = learning_rate;
}

std::vector<arma::mat> Optimizer::zeros_like_parameters() const {
  std::vector<arma::mat> zeros;
  zeros.reserve(parameters_.size());
  for (const gradlab::Parameter& p : parameters_)
    zeros.emplace_back(arma::size(*p.value), arma::fill::zeros);
  return zeros;
}

void Optimizer::step() {
  // every grad checked before any value moves
  for (std::size_t i = 0; i < parameters_.size(); ++i) require_grad_shape(i);
  start_step();
  finish_step();  // nothing was updated during the step: every parameter is updated now
}

void Optimizer::start_step() {
  // A step that an exception left unfinished is abandoned: this one starts afresh.
  // Check every parameter before moving any, so a bad shape leaves the model untouched (the
  // grads are checked one by one as they come: a fused update does not write its parameter's).
  const std::vector<Buffers> buffers = state_buffers();
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const gradlab::Parameter& p = parameters_[i];
    for (const Buffers& b : buffers)
      require(arma::size((*b.per_parameter)[i]) == arma::size(*p.value), who_, [&] {
        return describe(p, i) + ": the value is " + shape_of(*p.value) + " but its " + b.name +
               " buffer is " + shape_of((*b.per_parameter)[i]) +
               " (was the layer resized after the optimiser was built?)";
      });
  }
  ++steps_;
  in_step_ = true;
  updated_.assign(parameters_.size(), 0);
}

std::size_t Optimizer::claim(const gradlab::Parameter& p, const char* fn) {
  if (!in_step_) require_order(false, who_, std::string(fn) + ": no step was started");
  std::size_t i = 0;
  while (i < parameters_.size() && parameters_[i].value != p.value) ++i;
  if (i < parameters_.size() && updated_[i])
    require_order(false, who_,
                  std::string(fn) + ": " + describe(parameters_[i], i) +
                      " was updated already in this step");
  return i;
}

void Optimizer::require_grad_shape(std::size_t i) const {
  const gradlab::Parameter& p = parameters_[i];
  require(arma::size(*p.grad) == arma::size(*p.value), who_, [&] {
    return describe(p, i) + ": grad is " + shape_of(*p.grad) + " but the value is " +
           shape_of(*p.value) + " (they must have the same shape)";
  });
}

void Optimizer::update_checked(std::size_t i) {
  require_grad_shape(i);
  const gradlab::Parameter& p = parameters_[i];
  updated_[i] = 1;
  update(i, *p.value, *p.grad);
}

void Optimizer::update_parameter(const gradlab::Parameter& p) {
  const std::size_t i = claim(p, "update_parameter");
  if (i < parameters_.size()) update_checked(i);
}

std::optional<gradlab::ParameterUpdate::HeavyBall> Optimizer::take_heavy_ball(
    const gradlab::Parameter& p) {
  const std::size_t i = claim(p, "take_heavy_ball");
  if (i == parameters_.size()) return std::nullopt;
  std::optional<HeavyBall> rule = heavy_ball(i);
  if (rule) updated_[i] = 1;
  return rule;
}

void Optimizer::finish_step() {
  require_order(in_step_, who_, "finish_step: no step was started");
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    if (!updated_[i]) update_checked(i);
  in_step_ = false;
}

OptimizerState Optimizer::export_state() const {
  OptimizerState state;
  state.optimizer = name();
  state.learning_rate = learning_rate_;
  state.steps = steps_;
  const std::vector<Buffers> buffers = state_buffers();
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    for (const Buffers& b : buffers) {
      state.names.push_back(parameters_[i].name + "." + b.name);
      state.buffers.push_back((*b.per_parameter)[i]);
    }
  return state;
}

void Optimizer::import_state(const OptimizerState& state) {
  const char* fn = "Optimizer::import_state";
  require(state.optimizer == name(), fn, [&] {
    return "the state is " +
           (state.optimizer.empty() ? std::string("unnamed") : "'" + state.optimizer + "'") +
           " but this optimiser is '" + name() + "'";
  });
  require(state.names.size() == state.buffers.size(), fn, [&] {
    return "the state has " + std::to_string(state.names.size()) + " names but " +
           std::to_string(state.buffers.size()) + " buffers";
  });
  const std::vector<Buffers> buffers = state_buffers();
  const std::size_t expected = parameters_.size() * buffers.size();
  require(state.buffers.size() == expected, fn, [&] {
    return "the state has " + std::to_string(state.buffers.size()) + " buffers but " + name() +
           " expects " + std::to_string(expected) + " (" + std::to_string(buffers.size()) +
           " per parameter, " + std::to_string(parameters_.size()) + " parameters)";
  });
  for (std::size_t i = 0, k = 0; i < parameters_.size(); ++i)
    for (const Buffers& b : buffers) {
      const gradlab::Parameter& p = parameters_[i];
      const std::string expected_name = p.name + "." + b.name;
      require(state.names[k] == expected_name, fn, [&] {
        return describe(p, i) + ": state buffer " + std::to_string(k) + " is named '" +
               state.names[k] + "' but '" + expected_name + "' belongs here";
      });
      require(arma::size(state.buffers[k]) == arma::size(*p.value), fn, [&] {
        return describe(p, i) + ": the state's " + b.name + " buffer is " +
               shape_of(state.buffers[k]) + " but the value is " + shape_of(*p.value);
      });
      ++k;
    }
  detail::require_positive(fn, "learning_rate", state.learning_rate);

  // Everything checked: now copy. state_buffers() lends const views of this object's own
  // (non-const) members, so writing through them is sound here.
  for (std::size_t i = 0, k = 0; i < parameters_.size(); ++i)
    for (const Buffers& b : buffers)
      const_cast<std::vector<arma::mat>&>(*b.per_parameter)[i] = state.buffers[k++];
  learning_rate_ = state.learning_rate;
  steps_ = state.steps;
}

}  // namespace gradlab::optim
