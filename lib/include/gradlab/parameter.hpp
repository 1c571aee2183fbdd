#pragma once
// A trainable tensor as the layers (nn/), the optimisers (optim/) and the checkers see it: its
// value and the gradient that the last backward assigned. Both point into the object that owns
// them (a layer); a Parameter owns nothing.
#include <armadillo>

#include <optional>
#include <string>

namespace gradlab {

struct Parameter {
  std::string name;  // "W", "b", "gamma"; Sequential prefixes the layer's index: "0.W"
  arma::mat* value;
  arma::mat* grad;
};

// An optimiser's step taken during a backward pass, parameter by parameter, each as soon as its
// gradient is ready (nn::Sequential::backward_and_update), instead of after the whole backward
// (optim::Optimizer::step). Every optimiser is one (optim/optimizer.hpp); parameters are known
// by their value's address.
//   start_step()   a step begins (the optimiser checks shapes and counts the step)
//   update_parameter(p)   p's gradient is final: update p's value from it
//   take_heavy_ball(p)   when p's update is the heavy ball, v = mu v + g; theta -= lr v, hands
//                  the caller its velocity and coefficients and counts p as updated: the caller
//                  applies the rule with a gradient it need not store (nn::Linear at batch 1).
//                  Otherwise nothing, and the caller computes p's gradient and calls
//                  update_parameter(p).
//   finish_step()  the step ends: every parameter not updated yet is updated now
// A parameter the optimiser was not built on is left alone.
class ParameterUpdate {
 public:
  struct HeavyBall {
    arma::mat* velocity;  // v, shaped like the value
    double mu;            // momentum
    double lr;            // learning rate
  };

  virtual ~ParameterUpdate() = default;
  virtual void start_step() = 0;
  virtual void update_parameter(const Parameter& p) = 0;
  virtual std::optional<HeavyBall> take_heavy_ball(const Parameter& p) = 0;
  virtual void finish_step() = 0;
};

}  // namespace gradlab
