#pragma once
// The fast twins of the reference code that a training step spends its time in. Each computes
// exactly what its reference computes, with the same operations in the same order, so the
// results are the same bit for bit (checks/check_fast_kernels.cpp compares every kernel with its
// reference at batches 1, 64 and 256). What makes them fast:
//   - one pass over memory where the reference makes several (the bias added, summed, the ReLU
//     mask, the softmax and its loss, and the momentum update each in one loop, no temporary
//     matrices);
//   - the passes over whole matrices run in one slice per thread that the BLAS's products got
//     (fast/parallel.hpp);
//   - the momentum update is compiled for AVX2 and for the baseline, picked at start-up;
//   - the first layer's backward skips dX, which nobody reads (affine_backward_parameters);
//   - at batch 1 the momentum update makes the weight gradient as it uses it, never storing it
//     (heavy_ball_outer_step, called by nn::Linear::backward_and_update).
// The layers (nn::Linear, nn::ReLU), the loss (nn::CrossEntropyLoss) and the optimiser
// (optim::SGD) call these; students read the references: ops::affine_forward,
// ops::affine_backward, ops::relu_forward, ops::relu_backward,
// ops::softmax_cross_entropy_forward, ops::softmax_cross_entropy_backward,
// optim::heavy_ball_step (checks/check_fused_update.cpp holds heavy_ball_outer_step to it).
// docs/studies/performance.md has the measurements.
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"

#include <armadillo>

namespace gradlab::fast {

// = ops::affine_forward(W, b, X): Y = W X + b. W: M x D, b: M, X: D x B.
arma::mat affine_forward(const arma::mat& W, const arma::vec& b, const arma::mat& X);

// = ops::affine_backward(dY, W, X): dW = dY X^T, db = row sums of dY, dX = W^T dY.
ops::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X);

// The parameters' part of affine_backward alone, into dW and db (resized when their shape
// differs): for the first layer of a network, whose input (the data) needs no gradient; it saves
// dX = W^T dY, a third of the layer's backward products.
void affine_backward_parameters(const arma::mat& dY, const arma::mat& X, arma::mat& dW,
                                arma::vec& db);

// = ops::relu_forward(X): Y = max(X, 0) (NaN stays NaN, -0 stays -0).
arma::mat relu_forward(const arma::mat& X);

// = ops::relu_backward(dY, X): dX = dY ⊙ 1[X > 0].
arma::mat relu_backward(const arma::mat& dY, const arma::mat& X);

// = ops::softmax_cross_entropy_forward(logits, labels): the batch's mean loss and softmax(logits),
// each column's exponentials made, summed and divided in one loop.
ops::SoftmaxCrossEntropy softmax_cross_entropy_forward(const arma::mat& logits,
                                                       const arma::uvec& labels);

// = ops::softmax_cross_entropy_backward(probs, labels): dlogits = (probs - onehot(labels)) / B,
// written in one pass.
arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels);

// = optim::heavy_ball_step(v, theta, g, mu, lr): v = mu v + g; theta -= lr v, in place.
// v, theta and g have one shape.
void heavy_ball_step(arma::mat& v, arma::mat& theta, const arma::mat& g, double mu, double lr);

// = optim::heavy_ball_step(v, theta, dy * x.t(), mu, lr) for a layer at batch 1 (dy: M x 1,
// x: N x 1, v and theta: M x N): the update fused with the weight gradient g = dy x^T, whose
// entries are made as the update uses them and never stored. It moves two arrays of M N numbers
// where the two apart move five (g written, then g, v, theta read and v, theta written). The
// same numbers bit for bit, but for a zero's sign: an exact-zero product dy_i x_j can be -0
// here and +0 from the BLAS (0 + dy_i x_j), which changes v only where mu v is -0 too.
void heavy_ball_outer_step(arma::mat& v, arma::mat& theta, const arma::mat& dy, const arma::mat& x,
                           double mu, double lr);

}  // namespace gradlab::fast
