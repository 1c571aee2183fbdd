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
  return probs % dlogits;                              // s_b ⊙ (...)
}

}  // namespace gradlab::ops
