#pragma once
// Functions composed from the primitives in ops.hpp: no backward is written here. Each mirrors
// an op of gradlab::ops (same equation, same reduction), so its tape gradient can be compared
// with that op's hand-derived backward (checks/check_autograd_ops.cpp).
#include "gradlab/autograd/ops.hpp"
#include "gradlab/ops/image.hpp"

namespace gradlab::autograd {

// W: M x D, b: M x 1, X: D x B.  Y = W X + b   (b broadcast over the columns)
Tensor affine(const Tensor& W, const Tensor& b, const Tensor& X);

// max(X, 0) + slope min(X, 0), with min(X, 0) = X - relu(X)   (dY/dX = slope at X = 0,
// as ops::leaky_relu)
Tensor leaky_relu(const Tensor& X, double slope = 0.01);

// softmax = exp(log_softmax(logits)), over each column
Tensor softmax(const Tensor& logits);

// Y = X ⊙ mask, mask a constant (0 or 1 / (1 - p), drawn by ops::dropout_forward)
Tensor dropout(const Tensor& X, const arma::mat& mask);

// L = (lambda / 2) sum W^2
Tensor l2_penalty(const Tensor& W, double lambda);

// Losses: 1 x 1 tensors, means over the B columns.
// NLL on log-probabilities: L = -(1/B) sum_b logprobs_{labels_b, b}
//   = -(1/B) sum(onehot ⊙ logprobs)   (a constant one-hot mask picks the entries)
Tensor nll_loss(const Tensor& logprobs, const arma::uvec& labels);
// Softmax cross-entropy on logits: nll_loss(log_softmax(logits), labels)
Tensor softmax_cross_entropy(const Tensor& logits, const arma::uvec& labels);
// Cross-entropy on probabilities: L = -(1/B) sum(targets ⊙ log(probs + eps))
Tensor cross_entropy(const Tensor& probs, const arma::mat& targets, double eps = 1e-10);
// MSE against targets (C x B): L = (1/B) sum (Y - targets)^2
Tensor mse_loss(const Tensor& Y, const arma::mat& targets);
// MSE against one-hot targets built from labels (what nn::MSELoss does)
Tensor mse_loss(const Tensor& Y, const arma::uvec& labels);
// Multiclass hinge, margin 1, with a constant mask that leaves out each label's own row:
//   margins = scores - sum(onehot ⊙ scores, each_column) + 1          C x B
//   L = (1/B) sum((1 - onehot) ⊙ relu(margins))                        (relu' = 0 at 0)
Tensor multiclass_hinge_loss(const Tensor& scores, const arma::uvec& labels);
// Binary hinge on 1 x B scores, labels 0/1 as signs y = 2 labels - 1:
//   L = (1/B) sum relu(1 - y ⊙ scores)
Tensor binary_hinge_loss(const Tensor& scores, const arma::uvec& labels);

// Batch normalisation in training mode, from primitives. X: D x B, gamma, beta: D x 1.
//   mean = mean(X, each_row)                    D x 1
//   centered = X - mean                         D x B   (used twice: by var and by x_hat)
//   var = mean(centered ⊙ centered, each_row)  D x 1
//   x_hat = centered / sqrt(var + eps)          D x B
//   Y = gamma ⊙ x_hat + beta                    D x B
// About 10 nodes and their temporaries, where ops::batchnorm_backward is one closed form.
Tensor batchnorm(const Tensor& X, const Tensor& gamma, const Tensor& beta, double eps = 1e-5);

// Evaluation mode: running statistics are constants. Y = gamma ⊙ (X - mean) / sqrt(var + eps) + beta
Tensor batchnorm_eval(const Tensor& X, const Tensor& gamma, const Tensor& beta,
                      const arma::vec& running_mean, const arma::vec& running_var,
                      double eps = 1e-5);

// Images (layout: ops/image.hpp), X: (C*H*W) x B. The windows' entries are picked by
// gather_rows, so the tape sees only gather_rows, reshape, matmul, add, subtract, relu and scale.
//
// Convolution as im2col and one product (not the reference's direct sum, a different route to
// the same numbers). W: K x (C*kh*kw), b: K x 1; P = Ho*Wo output positions, Q = C*kh*kw taps.
//   patches = gather_rows(X, taps)          (Q*P) x B   row q + Q*p: tap q of window p (no_row,
//                                                       so zero, where the tap is padding)
//   Z = W reshape(patches, Q, P*B)          K x (P*B)   column p + P*b: position p of image b
//   Y = gather_rows(reshape(Z, K*P, B), order) + gather_rows(b, kernel)     (K*P) x B
//       order takes row k + K*p to k*P + p (the layout); kernel repeats b[k] over k's P rows
Tensor conv2d(const Tensor& W, const Tensor& b, const Tensor& X, const ops::ImageShape& in,
              const ops::Conv2dOptions& options);

// Max pooling by a running maximum: with X_t = gather_rows(X, window entries at offset t), t in
// row-major window order, m = X_0 and m = m + relu(X_t - m) for each later t. relu's
// derivative 0 at 0 keeps a tie on the earlier entry: the first maximum, as ops::max_pool2d.
Tensor max_pool2d(const Tensor& X, const ops::ImageShape& in, const ops::Pool2dOptions& options);

// Average pooling: Y = (1 / (wh ww)) sum_t X_t, the same gathers.
Tensor avg_pool2d(const Tensor& X, const ops::ImageShape& in, const ops::Pool2dOptions& options);

}  // namespace gradlab::autograd
