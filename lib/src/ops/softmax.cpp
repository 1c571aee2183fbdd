#include "gradlab/ops/softmax.hpp"

#include "gradlab/shape.hpp"
#include "shifted_exp.hpp"

namespace gradlab::ops {

arma::mat softmax_forward(const arma::mat& logits) {
  require_nonempty("softmax_forward", "logits", logits);
  // shifted by the max: the same softmax, every exp(...) <= 1
  return detail::softmax_of(detail::shifted_exp(logits));
}

arma::mat softmax_jacobian(const arma::vec& s) {
  return arma::diagmat(s) - s * s.t();  // diag(s) - s s^T
}

arma::mat softmax_backward(const arma::mat& dprobs, const arma::mat& probs) {
  require_same_shape("softmax_backward", "dprobs", dprobs, "probs", probs);
  arma::mat dlogits = dprobs;
  dlogits.each_row() -= arma::sum(dprobs % probs, 0);  // dprobs_b - <s_b, dprobs_b>
  // At a probability near 1 that difference cancels (at s_k = 1 - 4e-9 it keeps eight digits).
  // Since the s_j sum to 1 it equals sum_{j != k} s_j (dprobs_k - dprobs_j), a sum of small,
  // accurate terms: written so at each column's largest probability.
  const arma::urowvec top = arma::index_max(probs, 0);
  for (arma::uword b = 0; b < probs.n_cols; ++b) {
    const arma::uword k = top(b);
    double others = 0.0;
    for (arma::uword j = 0; j < probs.n_rows; ++j)
      if (j != k) others += probs(j, b) * (dprobs(k, b) - dprobs(j, b));
    dlogits(k, b) = others;
  }
  return probs % dlogits;                              // s_b ⊙ (...)
}

}  // namespace gradlab::ops
