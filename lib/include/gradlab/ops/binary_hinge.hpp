#pragma once
// Binary hinge loss (the soft-margin linear SVM's data term), margin 1.
// Derivation: docs/derivations/binary_hinge.md.
#include <armadillo>

namespace gradlab::ops {

// scores: 1 x B, labels: B in {0, 1}, read as signs y_b = 2 labels_b - 1 in {-1, +1}
// (label 1 is the positive class: the prediction is class 1 where the score is > 0).
// L = (1/B) sum_b max(0, 1 - y_b scores_b)
double binary_hinge_forward(const arma::mat& scores, const arma::uvec& labels);

// Forward was max(0, 1 - y_b s_b), so its slope in s_b is -y_b where the margin is violated.
// dscores_b = -y_b 1[1 - y_b scores_b > 0] / B
// At 1 - y_b s_b = 0 exactly the subgradient taken is 0 (strictly > 0, as ReLU at 0; any value
// between 0 and -y_b / B is valid there; torch.clamp(1 - y s, min=0) takes -y_b / B).
arma::mat binary_hinge_backward(const arma::mat& scores, const arma::uvec& labels);

}  // namespace gradlab::ops
