// The exercises' shared header: every student file includes it first. It declares the functions
// the exercises ask for (one per exercise, with the shapes in each student file), the structs
// the ones with several gradients return, and what an unfinished body calls.
//
// Columns are samples: a batch of B samples with D features each is a D x B arma::mat, as in the
// library (docs/architecture.md). Vectors (biases, gamma) are arma::vec columns; class labels
// are an arma::uvec of B indices.
//
// The functions are declared extern "C" so that the grader can find them by name in the
// compiled file; a definition without `extern "C"` in a student file keeps that linkage. Do not
// change a signature: the grader calls each function exactly as declared here.
//
// Include guards, not #pragma once: the grader compiles this header ahead of time (a
// precompiled header), from a copy at another path.
#ifndef GRADLAB_EXERCISE_HPP
#define GRADLAB_EXERCISE_HPP

#include <armadillo>

#include <stdexcept>
#include <string>

namespace exercise {

// What an untouched student file throws: the grader reports the exercise as "todo".
struct NotImplemented : std::logic_error {
  using std::logic_error::logic_error;
};
[[noreturn]] inline void not_implemented_yet(const char* function) {
  throw NotImplemented(std::string(function) + ": not implemented yet");
}

struct AffineGrads {
  arma::mat dX;  // D x B
  arma::mat dW;  // M x D
  arma::vec db;  // M
};

struct BatchNormGrads {
  arma::mat dX;      // D x B
  arma::vec dgamma;  // D
  arma::vec dbeta;   // D
};

struct NetworkGrads {
  arma::mat dWh;  // n_h x n_x
  arma::vec dbh;  // n_h
  arma::mat dWy;  // n_y x n_h
  arma::vec dby;  // n_y
};

}  // namespace exercise

extern "C" {
arma::mat relu_backward(const arma::mat& dY, const arma::mat& X);
arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X, double slope);
arma::mat tanh_backward(const arma::mat& dY, const arma::mat& Y);
arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y);
exercise::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X);
arma::mat softmax_backward(const arma::mat& dY, const arma::mat& Y);
arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels);
arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets);
arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels);
arma::mat mse_backward(const arma::mat& Y, const arma::mat& targets);
exercise::BatchNormGrads batchnorm_backward(const arma::mat& dY, const arma::mat& x_hat,
                                            const arma::vec& gamma, const arma::vec& inv_std);
exercise::BatchNormGrads batchnorm_staged_backward(const arma::mat& dY, const arma::mat& X,
                                                   const arma::vec& gamma, double eps);
arma::mat dropout_backward(const arma::mat& dY, const arma::mat& keep, double p);
void momentum_step(arma::mat& W, arma::mat& V, const arma::mat& dW, double lr, double momentum);
exercise::NetworkGrads network_backward(const arma::mat& X, const arma::uvec& labels,
                                        const arma::mat& H, const arma::mat& probs,
                                        const arma::mat& Wy);
}

#endif  // GRADLAB_EXERCISE_HPP
