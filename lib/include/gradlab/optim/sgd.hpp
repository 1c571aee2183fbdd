#pragma once
// Stochastic gradient descent: plain, with momentum, with Nesterov momentum, each optionally
// with L2 weight decay. The update rules are PyTorch's torch.optim.SGD (dampening 0), so
// trajectories can be compared with it number for number. Written per parameter; theta is the
// value, grad the gradient backward assigned, k counts steps.
//
//   weight decay (coupled L2):  g = grad + wd theta
//       the gradient of (wd / 2) ||theta||^2 added to the loss's (ops/l2_penalty.hpp); with
//       momentum it enters the velocity like any other gradient term.
//   plain (momentum 0):         theta -= lr g
//   momentum mu (heavy ball):   v = mu v + g;            theta -= lr v
//   Nesterov:                   v = mu v + g;            theta -= lr (g + mu v)
//   v starts at 0, so the first momentum step equals a plain step.
//
// Momentum, the two forms. Many texts write the classical form
//       u = mu u - lr g;   theta += u
// which keeps lr inside the velocity; the form above keeps it outside. With a constant lr the
// two give identical iterates: by induction u = -lr v after every step. They part when lr
// changes. Halving lr before step k in the form above halves the whole step at once,
//       theta_{k+1} - theta_k = -(lr / 2) (mu v_k + g_k),
// while the classical form only gives the new gradient the new rate and lets the old velocity
// (accumulated at the old rate) decay by mu per step:
//       theta_{k+1} - theta_k = -(mu lr v_k + (lr / 2) g_k).
// So with a schedule (schedule.hpp), this SGD follows PyTorch, not the classical form.
//
// Nesterov, the two forms. Sutskever et al. write u = mu u - lr grad f(theta + mu u);
// theta += u, evaluating the gradient at a look-ahead point. With a constant lr the rule above is
// exactly that method written in the look-ahead variable theta + mu u (and u = -lr v): the
// gradient is taken where the parameters are, which is what a training loop can provide.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

// The heavy-ball update of one parameter, in place: v = mu v + g;  theta -= lr v.
// The reference that SGD's fast kernel (fast::heavy_ball_step) is checked against.
void heavy_ball_step(arma::mat& v, arma::mat& theta, const arma::mat& g, double mu, double lr);

struct SGDOptions {
  double learning_rate = 0.01;  // > 0
  double momentum = 0.0;        // mu in [0, 1); 0 is plain SGD and keeps no state
  bool nesterov = false;        // needs momentum > 0
  double weight_decay = 0.0;    // wd >= 0
};

class SGD : public Optimizer {
 public:
  // Throws std::invalid_argument naming the option and its value when an option is out of
  // range, e.g. "SGD: momentum = 1 is outside [0, 1)".
  SGD(std::vector<gradlab::Parameter> parameters, SGDOptions options = {});

  std::string name() const override { return "SGD"; }
  const SGDOptions& options() const { return options_; }

 protected:
  void update(std::size_t i, arma::mat& theta, const arma::mat& grad) override;
  std::optional<HeavyBall> heavy_ball(std::size_t i) override;  // momentum, plain form only
  std::vector<Buffers> state_buffers() const override;

 private:
  SGDOptions options_;
  std::vector<arma::mat> velocity_;  // v per parameter; empty when momentum == 0
};

}  // namespace gradlab::optim
