#include "gradlab/ops/softmax_cross_entropy.hpp"

#include "gradlab/shape.hpp"
#include "shifted_exp.hpp"

#include <cmath>

namespace gradlab::ops {

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
  // Each sample's term is logsumexp - Z_label, written (m - Z_label) + log1p(r) as log_softmax
  // does: when the label's logit is the largest, the loss is log1p(r) to full precision.
  ShiftedExp x = shifted_exp(logits);
  double total = 0.0;
  for (arma::uword b = 0; b < logits.n_cols; ++b)
    total += (x.m(b) - logits(labels(b), b)) + std::log1p(x.r(b));
  return {total / static_cast<double>(logits.n_cols), softmax_of(std::move(x))};
}

arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels) {
  require_nonempty("softmax_cross_entropy_backward", "probs", probs);
  require_labels("softmax_cross_entropy_backward", labels, probs);
  // (probs - onehot(labels)) / B, the batch mean's 1/B; onehot is zero but at the labels
  // At the label, p - 1 is written -(the sum of the other probabilities): the same, since they
  // sum to 1, and exact where p is within 1e-9 of 1 (p - 1 would keep about seven digits).
  arma::mat dlogits = probs;
  for (arma::uword b = 0; b < labels.n_elem; ++b) {
    double others = 0.0;
    for (arma::uword k = 0; k < probs.n_rows; ++k)
      if (k != labels(b)) others += probs(k, b);
    dlogits(labels(b), b) = -others;
  }
  return dlogits / static_cast<double>(probs.n_cols);
}

}  // namespace gradlab::ops
