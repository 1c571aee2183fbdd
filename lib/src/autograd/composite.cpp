#include "gradlab/autograd/composite.hpp"

#include "gradlab/labels.hpp"
#include "gradlab/shape.hpp"

namespace gradlab::autograd {

Tensor affine(const Tensor& W, const Tensor& b, const Tensor& X) {
  return add(matmul(W, X), b);
}

Tensor leaky_relu(const Tensor& X, double slope) {
  const Tensor positive = relu(X);                       // max(X, 0)
  const Tensor negative = subtract(X, positive);         // min(X, 0)
  return add(positive, scale(negative, slope));
}

Tensor softmax(const Tensor& logits) { return exp(log_softmax(logits)); }

Tensor dropout(const Tensor& X, const arma::mat& mask) { return multiply(X, Tensor(mask)); }

Tensor l2_penalty(const Tensor& W, double lambda) {
  return scale(sum(pow(W, 2.0)), lambda / 2.0);
}

Tensor nll_loss(const Tensor& logprobs, const arma::uvec& labels) {
  require_labels("autograd::nll_loss", labels, logprobs.data());
  const double B = static_cast<double>(logprobs.n_cols());
  const Tensor onehot(one_hot(labels, logprobs.n_rows()));  // a constant: no gradient
  return scale(sum(multiply(logprobs, onehot)), -1.0 / B);
}

Tensor softmax_cross_entropy(const Tensor& logits, const arma::uvec& labels) {
  return nll_loss(log_softmax(logits), labels);
}

Tensor cross_entropy(const Tensor& probs, const arma::mat& targets, double eps) {
  require_same_shape("autograd::cross_entropy", "probs", probs.data(), "targets", targets);
  const double B = static_cast<double>(probs.n_cols());
  return scale(sum(multiply(log(add(probs, eps)), Tensor(targets))), -1.0 / B);
}

Tensor mse_loss(const Tensor& Y, const arma::mat& targets) {
  require_same_shape("autograd::mse_loss", "Y", Y.data(), "targets", targets);
  const double B = static_cast<double>(Y.n_cols());
  return scale(sum(pow(subtract(Y, Tensor(targets)), 2.0)), 1.0 / B);
}

Tensor mse_loss(const Tensor& Y, const arma::uvec& labels) {
  require_labels("autograd::mse_loss", labels, Y.data());
  return mse_loss(Y, one_hot(labels, Y.n_rows()));
}

Tensor multiclass_hinge_loss(const Tensor& scores, const arma::uvec& labels) {
  require_labels("autograd::multiclass_hinge_loss", labels, scores.data());
  const double B = static_cast<double>(scores.n_cols());
  const arma::mat onehot = one_hot(labels, scores.n_rows());                    // constant
  const Tensor correct = sum(multiply(scores, Tensor(onehot)), Over::each_column);  // 1 x B
  const Tensor margins = add(subtract(scores, correct), 1.0);                  // C x B
  const Tensor others(1.0 - onehot);  // a constant mask: 0 on the label rows
  return scale(sum(multiply(relu(margins), others)), 1.0 / B);
}

Tensor binary_hinge_loss(const Tensor& scores, const arma::uvec& labels) {
  require(scores.n_rows() == 1 && labels.n_elem == scores.n_cols() && !labels.is_empty() &&
              labels.max() <= 1,
          "autograd::binary_hinge_loss", [&] {
            return "scores is " + shape_of(scores.data()) + " with " +
                   std::to_string(labels.n_elem) + " labels (must be 1 x B, labels 0 or 1)";
          });
  const double B = static_cast<double>(scores.n_cols());
  const Tensor y(2.0 * arma::conv_to<arma::rowvec>::from(labels) - 1.0);  // 1 x B, constant
  return scale(sum(relu(add(scale(multiply(scores, y), -1.0), 1.0))), 1.0 / B);
}

Tensor batchnorm(const Tensor& X, const Tensor& gamma, const Tensor& beta, double eps) {
  require(X.n_cols() >= 2, "autograd::batchnorm", [&] {
    return "X is " + shape_of(X.data()) + ": training mode needs a batch of at least 2 samples";
  });
  const Tensor mu = mean(X, Over::each_row);                                  // D x 1
  const Tensor centered = subtract(X, mu);                                    // D x B
  const Tensor var = mean(multiply(centered, centered), Over::each_row);     // D x 1
  const Tensor x_hat = divide(centered, sqrt(add(var, eps)));                 // D x B
  return add(multiply(x_hat, gamma), beta);                                   // D x B
}

Tensor batchnorm_eval(const Tensor& X, const Tensor& gamma, const Tensor& beta,
                      const arma::vec& running_mean, const arma::vec& running_var, double eps) {
  const Tensor inv_std(1.0 / arma::sqrt(running_var + eps));                  // D x 1, constant
  const Tensor x_hat = multiply(subtract(X, Tensor(running_mean)), inv_std);  // D x B
  return add(multiply(x_hat, gamma), beta);
}

}  // namespace gradlab::autograd
