#include "gradlab/ops/log_softmax.hpp"

#include "gradlab/shape.hpp"
#include "shifted_exp.hpp"

namespace gradlab::ops {

arma::mat log_softmax_forward(const arma::mat& logits) {
  require_nonempty("log_softmax_forward", "logits", logits);
  // logprobs = Z - logsumexp(Z), written (Z - m) - log1p(r) (shifted_exp.hpp): Z - m is exact
  // near the top, where log-probabilities are near 0, and m + log1p(r) formed first would round
  // to ulp(m) (1.5e-11 at logits of 1e5) before the subtraction.
  const detail::ShiftedExp x = detail::shifted_exp(logits);
  arma::mat logprobs = logits;
  logprobs.each_row() -= x.m;
  logprobs.each_row() -= arma::log1p(x.r);
  return logprobs;
}

arma::mat log_softmax_backward(const arma::mat& dlogprobs, const arma::mat& logprobs) {
  require_same_shape("log_softmax_backward", "dlogprobs", dlogprobs, "logprobs", logprobs);
  arma::mat softmax_times_sum = arma::exp(logprobs);
  softmax_times_sum.each_row() %= arma::sum(dlogprobs, 0);
  return dlogprobs - softmax_times_sum;  // dlogprobs - softmax ⊙ column sums
}

}  // namespace gradlab::ops
