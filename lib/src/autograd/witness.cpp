#include "gradlab/autograd/witness.hpp"

#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/random.hpp"
#include "gradlab/shape.hpp"

#include <algorithm>
#include <cmath>

namespace gradlab::autograd {

namespace {

// Evaluates the case's forward with its inputs set to `values`, then restores them.
arma::mat forward_at(const check::OpCase& c, const std::vector<arma::mat>& values) {
  std::vector<arma::mat> saved;
  for (const auto& [name, pointer] : c.fn.inputs) saved.push_back(*pointer);
  for (std::size_t i = 0; i < values.size(); ++i) *c.fn.inputs[i].second = values[i];
  arma::mat Y = c.fn.forward();
  for (std::size_t i = 0; i < saved.size(); ++i) *c.fn.inputs[i].second = saved[i];
  return Y;
}

// For a scalar loss L of one C x B input: L(E_cb) - L(0), E_cb the matrix with a single 1.
arma::mat one_element_changes(const check::OpCase& c, double base, double probe) {
  const arma::mat& A = *c.fn.inputs[0].second;
  arma::mat values(A.n_rows, A.n_cols, arma::fill::value(base));
  const double L0 = forward_at(c, {values})(0, 0);
  arma::mat change(A.n_rows, A.n_cols);
  for (arma::uword b = 0; b < A.n_cols; ++b)
    for (arma::uword k = 0; k < A.n_rows; ++k) {
      values(k, b) = probe;
      change(k, b) = forward_at(c, {values})(0, 0) - L0;
      values(k, b) = base;
    }
  return change;
}

// The label of each column: where raising one entry lowers the loss the most.
arma::uvec labels_from(const arma::mat& change) {
  arma::uvec labels(change.n_cols);
  for (arma::uword b = 0; b < change.n_cols; ++b) labels(b) = change.col(b).index_min();
  return labels;
}

}  // namespace

OpConstants case_constants(const check::OpCase& c) {
  OpConstants k;
  const std::string& op = c.op;
  k.image = c.image;
  k.conv = c.conv;
  k.pool = c.pool;
  if (c.fn.inputs.empty()) return k;
  const arma::mat& A = *c.fn.inputs[0].second;
  const double B = static_cast<double>(A.n_cols);
  const arma::mat ones(A.n_rows, A.n_cols, arma::fill::ones);
  if (op == "dropout") {
    k.mask = forward_at(c, {ones});  // Y = 1 ⊙ mask
  } else if (op == "leaky_relu") {
    k.slope = -forward_at(c, {arma::mat(-ones)})(0, 0);  // Y(-1) = -slope
  } else if (op == "l2_penalty") {
    k.lambda = 2.0 * forward_at(c, {ones})(0, 0) / static_cast<double>(A.n_elem);
  } else if (op == "nll" || op == "softmax_cross_entropy") {
    // nll: L(E_cb) - L(0) = -1/B at the label, 0 elsewhere; softmax cross-entropy: the same
    // minus a constant of the column. Either way the label is where the loss drops most.
    k.labels = labels_from(one_element_changes(c, 0.0, 1.0));
  } else if (op == "multiclass_hinge") {
    // at scores 0 every other margin is 1; raising the label's score to 1 zeroes them all
    // (L drops by (C - 1) / B), raising another raises its own (L rises by 1 / B)
    k.labels = labels_from(one_element_changes(c, 0.0, 1.0));
  } else if (op == "binary_hinge") {
    // at scores 0: L(E_b) - L(0) = -1/B for label 1 (y = +1), +1/B for label 0 (y = -1)
    k.labels = arma::conv_to<arma::uvec>::from(one_element_changes(c, 0.0, 1.0).row(0) < 0.0);
  } else if (op == "mse") {
    // L(E_cb) - L(0) = (1 - 2 targets_cb) / B
    k.targets = (1.0 - B * one_element_changes(c, 0.0, 1.0)) / 2.0;
  } else if (op == "cross_entropy") {
    // probs = 1 except probs_cb = e: L(E_cb) - L(1) = -(targets_cb / B) (log(e + eps) - log(1 + eps))
    const double eps = ops::cross_entropy_default_eps;
    const double step = std::log(std::exp(1.0) + eps) - std::log(1.0 + eps);
    k.targets = -B * one_element_changes(c, 1.0, std::exp(1.0)) / step;
  } else if (op == "batchnorm_eval") {
    // gamma = 1, beta = 0: Y = (X - running_mean) ⊙ inv_std, read at X = 0 and X = 1
    const arma::mat gamma_one(A.n_rows, 1, arma::fill::ones), beta_zero(A.n_rows, 1, arma::fill::zeros);
    const arma::vec Y0 = forward_at(c, {arma::mat(arma::size(A), arma::fill::zeros), gamma_one, beta_zero}).col(0);
    const arma::vec Y1 = forward_at(c, {ones, gamma_one, beta_zero}).col(0);
    const arma::vec inv_std = Y1 - Y0;
    k.running_mean = -Y0 / inv_std;
    k.running_var = 1.0 / arma::square(inv_std) - ops::batchnorm_default_eps;
  }
  return k;
}

Tensor op_expression(const std::string& op, const std::vector<Tensor>& in,
                     const OpConstants& k) {
  const bool three = op == "affine" || op == "batchnorm" || op == "batchnorm_eval" || op == "conv2d";
  require(in.size() == (three ? 3u : 1u), "autograd::op_expression", [&] {
    return op + " takes " + (three ? "3 inputs" : "1 input") + " but got " +
           std::to_string(in.size());
  });
  if (op == "relu") return relu(in[0]);
  if (op == "leaky_relu") return leaky_relu(in[0], k.slope);
  if (op == "tanh") return tanh(in[0]);
  if (op == "sigmoid") return sigmoid(in[0]);
  if (op == "affine") return affine(in[0], in[1], in[2]);
  if (op == "softmax" || op == "softmax_jacobian") return softmax(in[0]);
  if (op == "log_softmax") return log_softmax(in[0]);
  if (op == "cross_entropy") return cross_entropy(in[0], k.targets);
  if (op == "softmax_cross_entropy") return softmax_cross_entropy(in[0], k.labels);
  if (op == "nll") return nll_loss(in[0], k.labels);
  if (op == "mse") return mse_loss(in[0], k.targets);
  if (op == "multiclass_hinge") return multiclass_hinge_loss(in[0], k.labels);
  if (op == "binary_hinge") return binary_hinge_loss(in[0], k.labels);
  if (op == "batchnorm") return batchnorm(in[0], in[1], in[2]);
  if (op == "batchnorm_eval")
    return batchnorm_eval(in[0], in[1], in[2], k.running_mean, k.running_var);
  if (op == "dropout") return dropout(in[0], k.mask);
  if (op == "l2_penalty") return l2_penalty(in[0], k.lambda);
  if (op == "conv2d") return conv2d(in[0], in[1], in[2], k.image, k.conv);
  if (op == "max_pool2d") return max_pool2d(in[0], k.image, k.pool);
  if (op == "avg_pool2d") return avg_pool2d(in[0], k.image, k.pool);
  throw std::invalid_argument("autograd::op_expression: unknown op '" + op + "'");
}

double relative_difference(const arma::mat& autograd, const arma::mat& manual) {
  require_same_shape("autograd::relative_difference", "autograd", autograd, "manual", manual);
  if (manual.n_elem == 0) return 0.0;
  const double largest = std::max(arma::abs(autograd).max(), arma::abs(manual).max());
  if (largest == 0.0) return 0.0;
  return arma::abs(autograd - manual).max() / largest;
}

double WitnessCase::max_relative_difference() const {
  double worst = 0.0;
  for (double d : relative_difference) worst = std::max(worst, d);
  return worst;
}

namespace {
// The tape's gradients of <G, op(inputs)> for the current values of the case's inputs.
std::vector<arma::mat> tape_gradients(const check::OpCase& c, const OpConstants& k,
                                      const arma::mat& G) {
  std::vector<Tensor> inputs;
  for (const auto& [name, pointer] : c.fn.inputs) inputs.emplace_back(*pointer, true);
  Tensor Y = op_expression(c.op, inputs, k);
  Y.backward(G);
  std::vector<arma::mat> grads;
  for (const Tensor& t : inputs) grads.push_back(t.grad());
  return grads;
}
}  // namespace

WitnessCase witness(const check::OpCase& c, std::uint64_t seed) {
  const OpConstants k = case_constants(c);
  const arma::mat Y = c.fn.forward();
  Rng rng(seed);
  const arma::mat G = random_normal(Y.n_rows, Y.n_cols, rng);
  const std::vector<arma::mat> tape = tape_gradients(c, k, G);
  const std::vector<arma::mat> manual = c.fn.backward(G);
  WitnessCase w{c.op, c.kind, c.shape, {}, {}};
  for (std::size_t i = 0; i < c.fn.inputs.size(); ++i) {
    w.tensors.push_back(c.fn.inputs[i].first);
    // the catalogue's vectors (b, gamma, beta) come back as columns either way
    w.relative_difference.push_back(relative_difference(tape[i], arma::reshape(manual[i], arma::size(tape[i]))));
  }
  return w;
}

check::Differentiable autograd_differentiable(const check::OpCase& c) {
  const OpConstants k = case_constants(c);
  check::Differentiable fn;
  fn.inputs = c.fn.inputs;
  fn.owner = c.fn.owner;
  const check::OpCase copy = c;  // the case's pointers and names, kept by the closures
  fn.forward = [copy, k] {
    std::vector<Tensor> inputs;
    for (const auto& [name, pointer] : copy.fn.inputs) inputs.emplace_back(*pointer);
    return op_expression(copy.op, inputs, k).data();
  };
  fn.backward = [copy, k](const arma::mat& G) { return tape_gradients(copy, k, G); };
  return fn;
}

}  // namespace gradlab::autograd
