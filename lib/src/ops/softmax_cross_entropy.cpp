#include "gradlab/ops/softmax_cross_entropy.hpp"

#include "gradlab/shape.hpp"
#include "shifted_exp.hpp"

namespace gradlab::ops {

using detail::log_sum_exp;
using detail::shifted_exp;
using detail::ShiftedExp;
using detail::softmax_of;

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

}  // namespace gradlab::ops
