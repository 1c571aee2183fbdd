#pragma once
// Losses: a scalar from the network's output and the integer labels, and its gradient.
// They stay outside Sequential because they need the labels. Each is a mean over the batch,
// and its backward is where the 1/B appears (inside the op it calls).
//
//   double L = loss.forward(logits, labels);   // logits: C x B, labels: B in [0, C)
//   arma::mat dlogits = loss.backward();       // C x B, dL/dlogits for that same forward
#include <armadillo>

#include <string>

namespace gradlab::nn {

class Loss {
 public:
  virtual ~Loss() = default;
  // outputs: C x B (columns are samples), labels: B class indices in [0, C). Caches what
  // backward needs. Throws std::invalid_argument for mismatched shapes or labels out of range.
  virtual double forward(const arma::mat& outputs, const arma::uvec& labels) = 0;
  // dL/d(outputs) for the last forward: C x B. May be called more than once.
  virtual arma::mat backward() = 0;
  virtual std::string name() const = 0;
};

// Softmax cross-entropy on logits (ops::softmax_cross_entropy, run by its fast twin in
// fast/kernels.hpp, which gives the same numbers), the stable classifier loss:
// L = (1/B) sum_b [ log sum_k exp(logits_kb) - logits_{labels_b, b} ]
// dlogits = (softmax(logits) - onehot(labels)) / B
class CrossEntropyLoss : public Loss {
 public:
  double forward(const arma::mat& logits, const arma::uvec& labels) override;
  arma::mat backward() override;
  std::string name() const override { return "CrossEntropyLoss"; }

 private:
  arma::mat probs_;  // C x B, softmax(logits)
  arma::uvec labels_;
};

// Negative log-likelihood on log-probabilities (ops::nll); put a LogSoftmax layer last.
// NLLLoss(LogSoftmax(logits)) is CrossEntropyLoss(logits), computed in two steps.
// L = -(1/B) sum_b logprobs_{labels_b, b},   dlogprobs = -onehot(labels) / B
class NLLLoss : public Loss {
 public:
  double forward(const arma::mat& logprobs, const arma::uvec& labels) override;
  arma::mat backward() override;
  std::string name() const override { return "NLLLoss"; }

 private:
  arma::mat logprobs_;  // C x B
  arma::uvec labels_;
};

// Mean squared error against one-hot targets built from the labels (ops::mse), as report 001
// trains a classifier: targets = onehot(labels), C x B,
// L = (1/B) sum_b || Y_b - targets_b ||^2  (summed over the C outputs),  dY = 2 (Y - targets) / B
class MSELoss : public Loss {
 public:
  double forward(const arma::mat& Y, const arma::uvec& labels) override;
  arma::mat backward() override;
  std::string name() const override { return "MSELoss"; }

 private:
  arma::mat Y_;        // C x B
  arma::mat targets_;  // C x B, one-hot
};

// Multiclass hinge loss, margin 1 (ops::multiclass_hinge, the Weston-Watkins SVM loss):
// L = (1/B) sum_b sum_{j != labels_b} max(0, scores_jb - scores_{labels_b, b} + 1)
// dscores = the subgradient with 0 at a margin of exactly 0. PyTorch's nn.MultiMarginLoss is L / C.
class MulticlassHingeLoss : public Loss {
 public:
  double forward(const arma::mat& scores, const arma::uvec& labels) override;
  arma::mat backward() override;
  std::string name() const override { return "MulticlassHingeLoss"; }

 private:
  arma::mat scores_;  // C x B
  arma::uvec labels_;
};

// Binary hinge loss, margin 1 (ops::binary_hinge, the soft-margin SVM's data term), on one
// score per sample: outputs 1 x B and labels 0 or 1, read as signs y = 2 labels - 1 (not
// indices into the rows, unlike the losses above):
// L = (1/B) sum_b max(0, 1 - y_b scores_b),   dscores = -y 1[1 - y scores > 0] / B
class BinaryHingeLoss : public Loss {
 public:
  double forward(const arma::mat& scores, const arma::uvec& labels) override;
  arma::mat backward() override;
  std::string name() const override { return "BinaryHingeLoss"; }

 private:
  arma::mat scores_;  // 1 x B
  arma::uvec labels_;
};

}  // namespace gradlab::nn
