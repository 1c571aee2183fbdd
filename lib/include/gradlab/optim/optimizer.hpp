#pragma once
// The optimiser interface shared by SGD (sgd.hpp) and Adam (adam.hpp).
//
// An optimiser is built on a model's parameter list (gradlab::Parameter: name, value, grad, both
// pointing into the layer that owns them) and keeps its state per parameter, by position: the
// i-th momentum buffer belongs to the i-th parameter. The buffers are allocated at construction,
// zero-filled and shaped like each value, so a checkpoint can export them before the first step.
//
//   step()   one update of every value from the gradients the last backward assigned. The
//            optimiser only reads the grads: it never zeroes or accumulates them (nn/ does).
//   the same step during a backward pass (gradlab::ParameterUpdate, which every optimiser is):
//            net.backward_and_update(dY, optimizer) updates each parameter as soon as its
//            gradient is ready; the values and the state end as backward + step() leave them.
//   set_learning_rate(lr) / learning_rate()   what a schedule (schedule.hpp) drives between
//            epochs. lr must be > 0.
//   export_state() / import_state()   everything a resumed run needs besides the model: the
//            buffers, the step count (Adam's bias correction) and the learning rate. The
//            hyperparameters (momentum, betas, ...) are construction options, not state.
#include "gradlab/parameter.hpp"

#include <armadillo>

#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::optim {

// An optimiser's state as a checkpoint stores it. names[k] labels buffers[k] as
// "<parameter name>.<buffer>", e.g. "0.W.velocity" (SGD with momentum) or "0.W.m", "0.W.v"
// (Adam), in parameter order and, within a parameter, in the optimiser's buffer order.
struct OptimizerState {
  std::string optimizer;  // Optimizer::name(): import refuses another optimiser's state
  double learning_rate = 0.0;
  std::uint64_t steps = 0;         // steps taken so far
  std::vector<std::string> names;  // one per buffer
  std::vector<arma::mat> buffers;  // each shaped like its parameter's value
};

class Optimizer : public gradlab::ParameterUpdate {
 public:
  // One update of every parameter. Throws std::invalid_argument naming the parameter when a
  // grad's shape differs from its value's, or the value's shape from the state's (a layer was
  // resized after the optimiser was built).
  void step();

  // The step parameter by parameter (gradlab/parameter.hpp); step() is start_step() then
  // finish_step(), which updates every parameter. start_step() checks the shapes as step()
  // does, except the grads' (a fused update does not write them: update_parameter(p) checks
  // p's). Calls outside a step, or a parameter updated twice in one, throw std::logic_error; a
  // step that an exception left unfinished is abandoned at the next start_step().
  void start_step() override;
  void update_parameter(const gradlab::Parameter& p) override;
  std::optional<HeavyBall> take_heavy_ball(const gradlab::Parameter& p) override;
  void finish_step() override;

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double learning_rate);  // throws unless learning_rate > 0

  std::uint64_t steps() const { return steps_; }
  const std::vector<gradlab::Parameter>& parameters() const { return parameters_; }
  virtual std::string name() const = 0;  // "SGD", "Adam"

  OptimizerState export_state() const;
  // Restores a state exported by the same kind of optimiser on the same parameter list.
  // Checks everything before changing anything: a different optimiser, a different number of
  // buffers, or a buffer whose name or shape does not match its parameter throws
  // std::invalid_argument naming the parameter.
  void import_state(const OptimizerState& state);

 protected:
  // `who` names the concrete optimiser in error messages. Throws std::invalid_argument when the
  // list is empty, a value or grad pointer is null, or learning_rate <= 0.
  Optimizer(std::vector<gradlab::Parameter> parameters, double learning_rate, const char* who);

  // The update of parameter i, theta = *parameters()[i].value, from its gradient. Called by
  // step() once per parameter, after the shapes were checked and steps() was incremented (so
  // during the first step, steps() == 1).
  virtual void update(std::size_t i, arma::mat& theta, const arma::mat& grad) = 0;

  // Parameter i's update as the heavy ball (v = mu v + g; theta -= lr v), when it is one: SGD
  // with momentum, without Nesterov and weight decay. By default none.
  virtual std::optional<HeavyBall> heavy_ball(std::size_t) { return std::nullopt; }

  // The per-parameter buffers a subclass keeps, each a vector with one matrix per parameter,
  // named for the checkpoint ("velocity"; "m", "v"). Empty when there is no state.
  struct Buffers {
    const char* name;
    const std::vector<arma::mat>* per_parameter;
  };
  virtual std::vector<Buffers> state_buffers() const = 0;

  // One zero matrix per parameter, shaped like its value: what a subclass's buffers start as.
  std::vector<arma::mat> zeros_like_parameters() const;

 private:
  // The index of the parameter whose value p points to, checked to be inside a step and not
  // updated yet in it; parameters_.size() when the optimiser was not built on p.
  std::size_t claim(const gradlab::Parameter& p, const char* fn);
  void require_grad_shape(std::size_t i) const;  // throws std::invalid_argument naming i
  void update_checked(std::size_t i);            // update(i, ...) after require_grad_shape(i)

  std::vector<gradlab::Parameter> parameters_;
  double learning_rate_;
  std::uint64_t steps_ = 0;
  const char* who_;
  bool in_step_ = false;
  std::vector<char> updated_;  // per parameter, during a step
};

}  // namespace gradlab::optim
