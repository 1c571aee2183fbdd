// softmax, log_softmax and the losses built on them.
#include "gradlab/labels.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/shape.hpp"

#include <cmath>

namespace gradlab::ops {

namespace {
// log sum_k exp(Z_kb) for each column b, as a 1 x B row: max + log sum exp(Z - max).
arma::rowvec log_sum_exp(const arma::mat& Z) {
  const arma::rowvec m = arma::max(Z, 0);
  arma::mat shifted = Z;
  shifted.each_row() -= m;
  return m + arma::log(arma::sum(arma::exp(shifted), 0));
}
}  // namespace

arma::mat softmax_forward(const arma::mat& logits) {
  require_nonempty("softmax_forward", "logits", logits);
  arma::mat probs = logits;
  probs.each_row() -= arma::max(logits, 0);  // same softmax, exp(...) <= 1
  probs = arma::exp(probs);
  probs.each_row() /= arma::sum(probs, 0);
  return probs;
}

arma::mat softmax_jacobian(const arma::vec& s) {
  return arma::diagmat(s) - s * s.t();  // diag(s) - s s^T
}

arma::mat softmax_backward(const arma::mat& dprobs, const arma::mat& probs) {
  require_same_shape("softmax_backward", "dprobs", dprobs, "probs", probs);
  arma::mat dlogits = dprobs;
  dlogits.each_row() -= arma::sum(dprobs % probs, 0);  // dprobs_b - <s_b, dprobs_b>
  return probs % dlogits;                              // s_b ⊙ (...)
}

arma::mat log_softmax_forward(const arma::mat& logits) {
  require_nonempty("log_softmax_forward", "logits", logits);
  arma::mat logprobs = logits;
  logprobs.each_row() -= log_sum_exp(logits);
  return logprobs;
}

arma::mat log_softmax_backward(const arma::mat& dlogprobs, const arma::mat& logprobs) {
  require_same_shape("log_softmax_backward", "dlogprobs", dlogprobs, "logprobs", logprobs);
  arma::mat softmax_times_sum = arma::exp(logprobs);
  softmax_times_sum.each_row() %= arma::sum(dlogprobs, 0);
  return dlogprobs - softmax_times_sum;  // dlogprobs - softmax ⊙ column sums
}

double cross_entropy_forward(const arma::mat& probs, const arma::mat& targets, double eps) {
  require_same_shape("cross_entropy_forward", "probs", probs, "targets", targets);
  require_nonempty("cross_entropy_forward", "probs", probs);
  const double B = static_cast<double>(probs.n_cols);
  return -arma::accu(targets % arma::log(probs + eps)) / B;
}

arma::mat cross_entropy_backward(const arma::mat& probs, const arma::mat& targets, double eps) {
  require_same_shape("cross_entropy_backward", "probs", probs, "targets", targets);
  require_nonempty("cross_entropy_backward", "probs", probs);
  const double B = static_cast<double>(probs.n_cols);
  return -targets / (probs + eps) / B;  // 1/B: the batch mean
}

SoftmaxCrossEntropy softmax_cross_entropy_forward(const arma::mat& logits,
                                                  const arma::uvec& labels) {
  require_nonempty("softmax_cross_entropy_forward", "logits", logits);
  require_labels("softmax_cross_entropy_forward", labels, logits);
  // One pass of exp serves both results. Per column b, with m_b = max_k Z_kb and
  // s_b = sum_k exp(Z_kb - m_b):
  //   probs_kb = exp(Z_kb - m_b) / s_b            (softmax_forward's steps)
  //   L = (1/B) sum_b [ m_b + log s_b - Z_{labels_b, b} ]   (logsumexp = m_b + log s_b)
  // probs are not exp(Z - logsumexp): logsumexp carries a rounding error of ulp(|Z|), which
  // exp would pass on to every probability.
  arma::mat probs = logits;
  const arma::rowvec m = arma::max(logits, 0);
  probs.each_row() -= m;
  probs = arma::exp(probs);
  const arma::rowvec s = arma::sum(probs, 0);
  double total = 0.0;
  for (arma::uword b = 0; b < logits.n_cols; ++b)
    total += (m(b) + std::log(s(b))) - logits(labels(b), b);
  probs.each_row() /= s;
  return {total / static_cast<double>(logits.n_cols), std::move(probs)};
}

arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels) {
  require_nonempty("softmax_cross_entropy_backward", "probs", probs);
  require_labels("softmax_cross_entropy_backward", labels, probs);
  // (probs - onehot(labels)) / B, the batch mean's 1/B; onehot is zero but at the labels
  arma::mat dlogits = probs;
  for (arma::uword b = 0; b < labels.n_elem; ++b) dlogits(labels(b), b) -= 1.0;
  return dlogits / static_cast<double>(probs.n_cols);
}

double nll_forward(const arma::mat& logprobs, const arma::uvec& labels) {
  require_nonempty("nll_forward", "logprobs", logprobs);
  require_labels("nll_forward", labels, logprobs);
  double total = 0.0;
  for (arma::uword b = 0; b < logprobs.n_cols; ++b) total -= logprobs(labels(b), b);
  return total / static_cast<double>(logprobs.n_cols);
}

arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels) {
  require_nonempty("nll_backward", "logprobs", logprobs);
  require_labels("nll_backward", labels, logprobs);
  const double B = static_cast<double>(logprobs.n_cols);
  return -one_hot(labels, logprobs.n_rows) / B;
}

}  // namespace gradlab::ops
