#pragma once
// Adam (Kingma & Ba, 2015, Algorithm 1), with the update as PyTorch's torch.optim.Adam writes
// it (amsgrad off). Per parameter, at step t = 1, 2, ... (elementwise: g^2, sqrt and / act on
// each entry):
//
//   g     = grad + wd theta                  coupled L2 weight decay, as PyTorch's Adam
//   m     = beta1 m + (1 - beta1) g           running mean of g     (m, v start at 0)
//   v     = beta2 v + (1 - beta2) g^2         running mean of g^2
//   m_hat = m / (1 - beta1^t)                 bias correction: undoes the pull towards the
//   v_hat = v / (1 - beta2^t)                 zero start, so m_hat = g and v_hat = g^2 at t = 1
//   theta -= lr m_hat / (sqrt(v_hat) + eps)
//
// At t = 1 every coordinate moves by lr g / (|g| + eps), about lr sign(g): the size of Adam's
// first step does not depend on the gradient's scale. eps is added after the bias correction
// (as in the paper's Algorithm 1 and PyTorch), not to sqrt(v) before it.
//
// Coupled weight decay: the decay enters m and v like a gradient, and is then rescaled per
// coordinate like one; it is not AdamW's decoupled theta -= lr wd theta.
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::optim {

struct AdamOptions {
  double learning_rate = 1e-3;  // > 0
  double beta1 = 0.9;           // in [0, 1)
  double beta2 = 0.999;         // in [0, 1)
  double eps = 1e-8;            // > 0
  double weight_decay = 0.0;    // >= 0
};

class Adam : public Optimizer {
 public:
  // Throws std::invalid_argument naming the option and its value when an option is out of
  // range, e.g. "Adam: beta2 = 1 is outside [0, 1)".
  Adam(std::vector<gradlab::Parameter> parameters, AdamOptions options = {});

  std::string name() const override { return "Adam"; }
  const AdamOptions& options() const { return options_; }

 protected:
  void update(std::size_t i, arma::mat& theta, const arma::mat& grad) override;
  std::vector<Buffers> state_buffers() const override;

 private:
  AdamOptions options_;
  std::vector<arma::mat> m_;  // first moment per parameter
  std::vector<arma::mat> v_;  // second moment per parameter
};

}  // namespace gradlab::optim
