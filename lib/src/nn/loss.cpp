#include "gradlab/nn/loss.hpp"

#include "gradlab/fast/kernels.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/multiclass_hinge.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/shape.hpp"

#include <stdexcept>

namespace gradlab::nn {

namespace {
// "<Loss>.forward": the outputs are non-empty and there is one label in [0, C) per column.
void require_batch(const Loss& loss, const arma::mat& outputs, const arma::uvec& labels) {
  const std::string where = loss.name() + ".forward";
  require_nonempty(where.c_str(), "the output", outputs);
  require_labels(where.c_str(), labels, outputs);
}

// "<Loss>.forward" for a loss on one score per sample: the outputs are 1 x B, non-empty, with
// one label per column, each 0 or 1.
void require_binary_batch(const Loss& loss, const arma::mat& outputs, const arma::uvec& labels) {
  const std::string where = loss.name() + ".forward";
  require_nonempty(where.c_str(), "the output", outputs);
  require(outputs.n_rows == 1, where.c_str(), [&] {
    return "the output is " + shape_of(outputs) + " but must be 1 x B (one score per sample)";
  });
  require_labels(where.c_str(), labels, arma::mat(2, outputs.n_cols));  // one per column, 0 or 1
}

void require_forward_ran(const Loss& loss, const arma::mat& cached) {
  if (cached.is_empty())
    throw std::invalid_argument(loss.name() + ".backward: called before forward");
}
}  // namespace

double CrossEntropyLoss::forward(const arma::mat& logits, const arma::uvec& labels) {
  // logits: C x B, labels: B.  L = (1/B) sum_b [ logsumexp(logits_b) - logits_{labels_b, b} ]
  require_batch(*this, logits, labels);
  ops::SoftmaxCrossEntropy f = fast::softmax_cross_entropy_forward(logits, labels);
  probs_ = std::move(f.probs);
  labels_ = labels;
  return f.loss;
}

arma::mat CrossEntropyLoss::backward() {
  // dlogits = (probs - onehot(labels)) / B: C x B
  require_forward_ran(*this, probs_);
  return fast::softmax_cross_entropy_backward(probs_, labels_);
}

double NLLLoss::forward(const arma::mat& logprobs, const arma::uvec& labels) {
  // logprobs: C x B, labels: B.  L = -(1/B) sum_b logprobs_{labels_b, b}
  require_batch(*this, logprobs, labels);
  logprobs_ = logprobs;
  labels_ = labels;
  return ops::nll_forward(logprobs, labels);
}

arma::mat NLLLoss::backward() {
  // dlogprobs = -onehot(labels) / B: C x B
  require_forward_ran(*this, logprobs_);
  return ops::nll_backward(logprobs_, labels_);
}

double MSELoss::forward(const arma::mat& Y, const arma::uvec& labels) {
  // Y: C x B, labels: B.  targets = onehot(labels): C x B,  L = (1/B) sum_b ||Y_b - targets_b||^2
  require_batch(*this, Y, labels);
  Y_ = Y;
  targets_ = one_hot(labels, Y.n_rows);
  return ops::mse_forward(Y_, targets_);
}

arma::mat MSELoss::backward() {
  // dY = 2 (Y - targets) / B: C x B
  require_forward_ran(*this, Y_);
  return ops::mse_backward(Y_, targets_);
}

double MulticlassHingeLoss::forward(const arma::mat& scores, const arma::uvec& labels) {
  // scores: C x B, labels: B.  L = (1/B) sum_b sum_{j != labels_b} max(0, s_jb - s_{labels_b, b} + 1)
  require_batch(*this, scores, labels);
  scores_ = scores;
  labels_ = labels;
  return ops::multiclass_hinge_forward(scores, labels);
}

arma::mat MulticlassHingeLoss::backward() {
  // dscores: 1[margin > 0] / B off the label rows, -(active margins) / B on them: C x B
  require_forward_ran(*this, scores_);
  return ops::multiclass_hinge_backward(scores_, labels_);
}

double BinaryHingeLoss::forward(const arma::mat& scores, const arma::uvec& labels) {
  // scores: 1 x B, labels: B in {0, 1}.  L = (1/B) sum_b max(0, 1 - y_b s_b), y = 2 labels - 1
  require_binary_batch(*this, scores, labels);
  scores_ = scores;
  labels_ = labels;
  return ops::binary_hinge_forward(scores, labels);
}

arma::mat BinaryHingeLoss::backward() {
  // dscores = -y 1[1 - y s > 0] / B: 1 x B
  require_forward_ran(*this, scores_);
  return ops::binary_hinge_backward(scores_, labels_);
}

}  // namespace gradlab::nn
