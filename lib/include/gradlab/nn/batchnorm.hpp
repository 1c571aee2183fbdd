#pragma once
// Batch normalisation of each feature (row) over the batch, calling ops::batchnorm_*.
// Derivation: docs/derivations/batchnorm.md (report 003).
//
// Train mode: normalise with the batch's own statistics (mean, biased variance 1/B), then fold
// them into the running statistics, as PyTorch's BatchNorm1d does:
//   running_mean <- (1 - momentum) running_mean + momentum mean
//   running_var  <- (1 - momentum) running_var  + momentum var B / (B - 1)
// The running variance takes the UNBIASED batch variance (1/(B-1)); the normalisation itself
// uses the biased one. momentum is the weight of the new batch (PyTorch's convention; Keras's
// "momentum" is 1 minus this). The running statistics start at mean 0, variance 1.
// A batch of one sample has no variance: train-mode forward throws for B < 2, as PyTorch does.
//
// Eval mode: normalise with the running statistics, which stay as they are, so each sample's
// output depends only on that sample: Y = gamma ⊙ (X - running_mean) / sqrt(running_var + eps)
// + beta.
//
// backward uses the mode of the last forward (its cache), whatever the mode is now.
#include "gradlab/nn/layer.hpp"
#include "gradlab/ops/batchnorm.hpp"

namespace gradlab::nn {

class BatchNorm : public Layer {
 public:
  // gamma = 1, beta = 0 (the identity map of x_hat); momentum in [0, 1], eps > 0.
  explicit BatchNorm(arma::uword features, double momentum = 0.1,
                     double eps = ops::batchnorm_default_eps);

  // X: D x B -> Y = gamma ⊙ x_hat + beta: D x B.  Train mode also updates the running statistics.
  arma::mat forward(const arma::mat& X) override;

  // dY: D x B.  Assigns dgamma = sum_b dY ⊙ x_hat and dbeta = sum_b dY; returns dX: D x B
  // (train: through the batch statistics too; eval: dX = dY ⊙ gamma / sqrt(running_var + eps)).
  arma::mat backward(const arma::mat& dY) override;

  // "gamma" (D) and "beta" (D). The running statistics are state, not parameters.
  std::vector<Parameter> parameters() override;
  // "running_mean" and "running_var", for checkpoints.
  std::vector<Parameter> state() override;

  std::string name() const override;  // "BatchNorm(100)"
  arma::uword features() const { return gamma.n_elem; }
  double momentum() const { return momentum_; }
  double eps() const { return eps_; }

  arma::vec gamma;         // D, scale
  arma::vec beta;          // D, shift
  arma::vec dgamma;        // D, assigned by backward
  arma::vec dbeta;         // D, assigned by backward
  arma::vec running_mean;  // D, starts at 0
  arma::vec running_var;   // D, starts at 1

 private:
  double momentum_;
  double eps_;
  ops::BatchNormCache cache_;      // x_hat and inv_std of the last forward
  Mode cached_mode_ = Mode::train; // the mode that forward ran in
};

}  // namespace gradlab::nn
