#include "gradlab/optim/optimizer.hpp"

#include "gradlab/shape.hpp"
#include "options.hpp"

#include <utility>

namespace gradlab::optim {

namespace {

// "parameter '0.W' (index 0)": how messages name a parameter.
std::string describe(const gradlab::Parameter& p, std::size_t i) {
  return "parameter '" + p.name + "' (index " + std::to_string(i) + ")";
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
  // Check every parameter before moving any, so a bad shape leaves the model untouched.
  const std::vector<Buffers> buffers = state_buffers();
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const gradlab::Parameter& p = parameters_[i];
    require(arma::size(*p.grad) == arma::size(*p.value), who_, [&] {
      return describe(p, i) + ": grad is " + shape_of(*p.grad) + " but the value is " +
             shape_of(*p.value) + " (they must have the same shape)";
    });
    for (const Buffers& b : buffers)
      require(arma::size((*b.per_parameter)[i]) == arma::size(*p.value), who_, [&] {
        return describe(p, i) + ": the value is " + shape_of(*p.value) + " but its " + b.name +
               " buffer is " + shape_of((*b.per_parameter)[i]) +
               " (was the layer resized after the optimiser was built?)";
      });
  }
  ++steps_;
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    update(i, *parameters_[i].value, *parameters_[i].grad);
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
