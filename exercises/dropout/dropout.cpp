// Exercise dropout: the backward pass of (inverted) dropout.
//
// The forward pass drew a 0/1 matrix keep (1 with probability 1 - p, 0 with probability p)
// and computed, element by element,
//     Y = X ⊙ keep / (1 - p)
// ("inverted" dropout: the kept entries are scaled up at training time, so that evaluation
// needs no rescaling). Write dropout_backward: given the upstream gradient dY = dL/dY, return
// dX = dL/dX.
//
// Shapes (columns are samples, B of them):
//     dY:   D x B    the gradient of the loss with respect to Y
//     keep: D x B    the forward's 0/1 matrix (1 where the entry was kept)
//     p:             the probability of dropping an entry, in [0, 1)
//     returns dX: D x B
//
// In the reports: report 003 trains with dropout (p = 0.1, Sec. 2, "Dropout"); the reports do
// not derive its gradient.
//
// Run: ./workbench exercise dropout   (hints: ./workbench exercise dropout --hint 1)
#include "exercise.hpp"

arma::mat dropout_backward(const arma::mat& dY, const arma::mat& keep, double p) {
  // Your code here.
  exercise::not_implemented_yet("dropout_backward");
}
