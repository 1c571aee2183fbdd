#pragma once
// Activation layers, without parameters: ReLU, LeakyReLU, Tanh and Sigmoid act elementwise;
// LogSoftmax acts on each column (it turns logits into the log-probabilities NLLLoss takes).
// Each caches the one matrix its op's backward reads: the input X for ReLU and LeakyReLU (the
// derivative depends on the sign of X), the output Y for the others (their derivative is a
// function of Y).
#include "gradlab/nn/layer.hpp"
#include "gradlab/ops/leaky_relu.hpp"

namespace gradlab::nn {

class ReLU : public Layer {
 public:
  // X: D x B -> Y = max(X, 0): D x B
  arma::mat forward(const arma::mat& X) override;
  arma::mat forward(arma::mat&& X) override;  // keeps X without a copy
  // dX = dY ⊙ 1[X > 0]
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override { return "ReLU"; }
  Structure structure() const override { return Structure::elementwise; }

 private:
  arma::mat X_;
};

class LeakyReLU : public Layer {
 public:
  explicit LeakyReLU(double slope = ops::leaky_relu_default_slope);
  // X: D x B -> Y = X where X > 0, slope X elsewhere
  arma::mat forward(const arma::mat& X) override;
  arma::mat forward(arma::mat&& X) override;  // keeps X without a copy
  // dX = dY ⊙ (1 where X > 0, slope elsewhere)
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override;  // "LeakyReLU(0.01)"
  Structure structure() const override { return Structure::elementwise; }
  double slope() const { return slope_; }

 private:
  double slope_;
  arma::mat X_;
};

class Tanh : public Layer {
 public:
  // X: D x B -> Y = tanh(X)
  arma::mat forward(const arma::mat& X) override;
  // dX = dY ⊙ (1 - Y ⊙ Y)
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override { return "Tanh"; }
  Structure structure() const override { return Structure::elementwise; }

 private:
  arma::mat Y_;
};

class Sigmoid : public Layer {
 public:
  // X: D x B -> Y = 1 / (1 + exp(-X))
  arma::mat forward(const arma::mat& X) override;
  // dX = dY ⊙ Y ⊙ (1 - Y)
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override { return "Sigmoid"; }
  Structure structure() const override { return Structure::elementwise; }

 private:
  arma::mat Y_;
};

class LogSoftmax : public Layer {
 public:
  // logits: C x B -> logprobs_cb = logits_cb - log sum_k exp(logits_kb)
  arma::mat forward(const arma::mat& X) override;
  // dX = dY - softmax ⊙ (column sums of dY),  softmax = exp(Y)
  arma::mat backward(const arma::mat& dY) override;
  std::string name() const override { return "LogSoftmax"; }
  Structure structure() const override { return Structure::per_column; }

 private:
  arma::mat Y_;
};

}  // namespace gradlab::nn
