#include "gradlab/ops/log_softmax.hpp"

#include "gradlab/shape.hpp"
#include "shifted_exp.hpp"

namespace gradlab::ops {

arma::mat log_softmax_forward(const arma::mat& logits) {
  require_nonempty("log_softmax_forward", "logits", logits);
  arma::mat logprobs = logits;
  logprobs.each_row() -= detail::log_sum_exp(detail::shifted_exp(logits));
  return logprobs;
}

arma::mat log_softmax_backward(const arma::mat& dlogprobs, const arma::mat& logprobs) {
  require_same_shape("log_softmax_backward", "dlogprobs", dlogprobs, "logprobs", logprobs);
  arma::mat softmax_times_sum = arma::exp(logprobs);
  softmax_times_sum.each_row() %= arma::sum(dlogprobs, 0);
  return dlogprobs - softmax_times_sum;  // dlogprobs - softmax ⊙ column sums
}

}  // namespace gradlab::ops
