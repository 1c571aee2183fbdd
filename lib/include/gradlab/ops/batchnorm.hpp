#pragma once
// Batch normalisation over the batch, one feature (row) at a time.
// Derivation: docs/derivations/batchnorm.md (report 003, eqs. 15-20).
#include <armadillo>

namespace gradlab::ops {

inline constexpr double batchnorm_default_eps = 1e-5;

struct BatchNormCache {
  arma::mat x_hat;    // D x B, the normalised input
  arma::vec inv_std;  // D, 1 / sqrt(var + eps)
  arma::vec mean;     // D, the batch mean (a layer folds it into its running mean)
  arma::vec var;      // D, the biased batch variance (1/B), as used to normalise
};

struct BatchNormForward {
  arma::mat Y;
  BatchNormCache cache;
};

// Training mode. X: D x B with B >= 2 (one sample has no spread to normalise), gamma, beta: D.
// mean = (1/B) sum_b X_b,  var = (1/B) sum_b (X_b - mean)^2,
// x_hat = (X - mean) / sqrt(var + eps),  Y = gamma ⊙ x_hat + beta
BatchNormForward batchnorm_forward(const arma::mat& X, const arma::vec& gamma,
                                   const arma::vec& beta, double eps = batchnorm_default_eps);

struct BatchNormGrads {
  arma::mat dX;      // D x B
  arma::vec dgamma;  // D
  arma::vec dbeta;   // D
};

// The closed batch form (every sample's mean and variance depend on all of X):
// dgamma = sum_b dY ⊙ x_hat,  dbeta = sum_b dY,
// dX = (gamma ⊙ inv_std / B) ⊙ ( B dY - sum_b dY - x_hat ⊙ sum_b (dY ⊙ x_hat) )
BatchNormGrads batchnorm_backward(const arma::mat& dY, const arma::vec& gamma,
                                  const BatchNormCache& cache);

// Evaluation mode: the running statistics are constants, so each sample is an affine map.
// x_hat = (X - running_mean) / sqrt(running_var + eps),  Y = gamma ⊙ x_hat + beta
BatchNormForward batchnorm_forward_eval(const arma::mat& X, const arma::vec& gamma,
                                        const arma::vec& beta, const arma::vec& running_mean,
                                        const arma::vec& running_var,
                                        double eps = batchnorm_default_eps);

// dX = dY ⊙ gamma ⊙ inv_std (per row),  dgamma = sum_b dY ⊙ x_hat,  dbeta = sum_b dY
BatchNormGrads batchnorm_backward_eval(const arma::mat& dY, const arma::vec& gamma,
                                       const BatchNormCache& cache);

}  // namespace gradlab::ops
