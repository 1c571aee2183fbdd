#include "gradlab/ops/nll.hpp"

#include "gradlab/labels.hpp"
#include "gradlab/shape.hpp"

namespace gradlab::ops {

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
