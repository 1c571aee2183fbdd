#pragma once
// The autograd witness: every op of gradlab::ops written as an autograd expression, so the tape
// gradient can be set beside the hand-derived backward and finite differences, case by case of
// the catalogue (check/op_cases.hpp). Used by checks/check_autograd_ops.cpp and by
// `gradcheck --witness autograd|both`.
#include "gradlab/autograd/composite.hpp"
#include "gradlab/check/op_cases.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::autograd {

// The fixed data of a case: what the op depends on besides its inputs.
struct OpConstants {
  arma::mat targets;        // cross_entropy, mse (C x B)
  arma::uvec labels;        // nll, softmax_cross_entropy, multiclass_hinge, binary_hinge (B)
  arma::mat mask;           // dropout (shape of X)
  arma::vec running_mean;   // batchnorm_eval (D)
  arma::vec running_var;    // batchnorm_eval (D)
  double slope = 0.01;      // leaky_relu
  double lambda = 0.0;      // l2_penalty
  ops::ImageShape image{};  // conv2d, max_pool2d, avg_pool2d: each image of X
  ops::Conv2dOptions conv{};  // conv2d
  ops::Pool2dOptions pool{};  // max_pool2d, avg_pool2d
};

// A catalogue case keeps its fixed data inside its forward function, so it is read back from
// that forward, evaluated at chosen inputs (the case's inputs are restored afterwards):
//   dropout: mask = forward(X = 1);  leaky_relu: slope = -forward(X = -1);
//   l2_penalty: lambda = 2 forward(W = 1) / #W;  batchnorm_eval: with gamma = 1, beta = 0,
//   inv_std = forward(X = 1) - forward(X = 0) and running_mean = -forward(X = 0) / inv_std;
//   the losses are linear (nll), quadratic (mse) or known (cross-entropy, softmax
//   cross-entropy, the hinges at scores 0) in one element, so one evaluation per element gives
//   targets or labels.
//   The image ops' geometry is not data but the case's shape: it is copied from the case.
// Only the manual forward is used, never the manual backward: the witnesses stay independent.
OpConstants case_constants(const check::OpCase& c);

// The autograd expression of op (a name from check::op_names(), or "softmax_jacobian") on
// inputs given in the catalogue's order (affine and conv2d: W, b, X; batchnorm: X, gamma, beta).
// Throws std::invalid_argument for an unknown op or the wrong number of inputs.
Tensor op_expression(const std::string& op, const std::vector<Tensor>& inputs,
                     const OpConstants& constants);

// The normwise relative difference max |a - m| / max(max |a|, max |m|) (0 when both are 0).
// Normwise, not elementwise: an entry that is a sum cancelling to nearly 0 (batch norm's dX,
// softmax's gradient) carries the rounding of its terms, which is relative to the tensor's
// scale, not to its own; both witnesses differ from an extended-precision reference by as much.
double relative_difference(const arma::mat& autograd, const arma::mat& manual);

// One case: the tape gradient of <G, op(inputs)> (G random, drawn from seed) against the
// case's backward(G), per input.
struct WitnessCase {
  std::string op, kind, shape;
  std::vector<std::string> tensors;      // input names
  std::vector<double> relative_difference;  // per input
  double max_relative_difference() const;
};
WitnessCase witness(const check::OpCase& c, std::uint64_t seed = 1);

// The case with its backward taken from the tape: for check_vjp, the third witness.
check::Differentiable autograd_differentiable(const check::OpCase& c);

}  // namespace gradlab::autograd
