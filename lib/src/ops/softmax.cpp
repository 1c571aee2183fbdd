// softmax, log_softmax and the losses built on them.
#include "gradlab/labels.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/shape.hpp"

#include <utility>

namespace gradlab::ops {

namespace {
// What every softmax here is built from, per column b of Z: m_b = max_k Z_kb, the shifted
// exponentials E = exp(Z - m) (every entry <= 1: no overflow) and their sums s_b = sum_k E_kb.
// Then softmax = E / s column by column, and logsumexp = m + log s.
struct ShiftedExp {
  arma::rowvec m;
  arma::mat E;
  arma::rowvec s;
};

ShiftedExp shifted_exp(const arma::mat& Z) {
  ShiftedExp r{arma::max(Z, 0), Z, {}};
  r.E.each_row() -= r.m;
  r.E = arma::exp(r.E);
  r.s = arma::sum(r.E, 0);
  return r;
}

// log sum_k exp(Z_kb) for each column b, as a 1 x B row: m + log s.
arma::rowvec log_sum_exp(const ShiftedExp& x) { return x.m + arma::log(x.s); }

// softmax(Z) column by column: E / s.
arma::mat softmax_of(ShiftedExp&& x) {
  x.E.each_row() /= x.s;
  return std::move(x.E);
}
}  // namespace

arma::mat softmax_forward(const arma::mat& logits) {
  require_nonempty("softmax_forward", "logits", logits);
  return softmax_of(shifted_exp(logits));  // shifted by the max: the same softmax, exp(...) <= 1
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
  logprobs.each_row() -= log_sum_exp(shifted_exp(logits));
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
  // One pass of exp serves both results: L = (1/B) sum_b [ logsumexp_b - Z_{labels_b, b} ], and
  // probs = softmax(Z) from the same shifted exponentials. probs are not exp(Z - logsumexp):
  // logsumexp carries a rounding error of ulp(|Z|), which exp would pass on to every probability.
  ShiftedExp x = shifted_exp(logits);
  const arma::rowvec lse = log_sum_exp(x);
  double total = 0.0;
  for (arma::uword b = 0; b < logits.n_cols; ++b) total += lse(b) - logits(labels(b), b);
  return {total / static_cast<double>(logits.n_cols), softmax_of(std::move(x))};
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
