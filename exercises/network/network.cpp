// Exercise network: backpropagation through a whole (small) network.
//
// The network of report 004 (n_x = 2 inputs, n_h = 4 hidden units, n_y = 2 classes) computed,
// for a batch X of B samples (columns) with labels y:
//     h~    = Wh X + bh          (bh added to every column)
//     H     = tanh(h~)
//     y~    = Wy H + by          (by added to every column)
//     probs = softmax(y~)        (each column on its own)
//     L     = -(1/B) sum_b log probs_{y_b, b}      (the MEAN cross-entropy over the batch)
// Write network_backward: return the gradients of L with respect to the four parameters, in
// an exercise::NetworkGrads {dWh, dbh, dWy, dby}.
//
// Shapes (columns are samples, B of them):
//     X:      n_x x B     the inputs
//     labels: B           the class index of each sample, in [0, n_y)
//     H:      n_h x B     the hidden layer's output, tanh(h~)
//     probs:  n_y x B     the output probabilities
//     Wy:     n_y x n_h   the output layer's weights
//     returns dWh: n_h x n_x,  dbh: n_h,  dWy: n_y x n_h,  dby: n_y
//
// In the reports: report 004, Q7 (the forward pass), Q15 (the gradient at y~), Q16 (Wy, by)
// and Q17 (h~, Wh, bh), one sample at a time. Some of its printed formulas are garbled: check
// every product against the shapes above.
//
// Run: ./workbench exercise network   (hints: ./workbench exercise network --hint 1)
#include "exercise.hpp"

exercise::NetworkGrads network_backward(const arma::mat& X, const arma::uvec& labels,
                                        const arma::mat& H, const arma::mat& probs,
                                        const arma::mat& Wy) {
  // Your code here.
  exercise::not_implemented_yet("network_backward");
}
