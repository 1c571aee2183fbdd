// Exercise nll: the gradient of the negative log-likelihood on log-probabilities.
//
// The forward pass took log-probabilities (for example the output of log-softmax) and class
// labels y (one per sample) and computed
//     L = -(1/B) sum_b logprobs_{y_b, b}              (the mean over the batch)
// Write nll_backward: return dlogprobs = dL/dlogprobs, the gradient of this MEAN loss with
// respect to the log-probabilities (not the logits: log-softmax is a separate step).
//
// Shapes (columns are samples, B of them):
//     logprobs: C x B    the log-probabilities
//     labels:   B        the class index of each sample, in [0, C)
//     returns dlogprobs: C x B
//
// In the reports: report 000, Sec. III-D and report 002, eq. (9) use "NLL" for the loss on
// logits, softmax included; here the input is already a log-probability (PyTorch's nll_loss).
//
// Run: ./workbench exercise nll   (hints: ./workbench exercise nll --hint 1)
#include "exercise.hpp"

arma::mat nll_backward(const arma::mat& logprobs, const arma::uvec& labels) {
  // Your code here.
  exercise::not_implemented_yet("nll_backward");
}
