#pragma once
// Multiclass hinge loss (Weston-Watkins, the SVM loss of cs231n), margin 1.
// Derivation: docs/derivations/multiclass_hinge.md.
#include <armadillo>

namespace gradlab::ops {

// scores: C x B, labels: B integer class indices in [0, C).
// margin_jb = scores_jb - scores_{labels_b, b} + 1                (for j != labels_b)
// L = (1/B) sum_b sum_{j != labels_b} max(0, margin_jb)
// (PyTorch's F.multi_margin_loss divides each sample's sum by C as well: it is L / C.)
double multiclass_hinge_forward(const arma::mat& scores, const arma::uvec& labels);

// Forward was a sum of max(0, margin_jb), so each margin that is active (> 0) adds
//   +1/B to dscores_jb   and   -1/B to dscores_{labels_b, b}.
// dscores_jb = 1[margin_jb > 0] / B                               (j != labels_b)
// dscores_{labels_b, b} = -(number of active margins in column b) / B
// At a margin of exactly 0 the subgradient taken is 0 (strictly > 0, as PyTorch's
// multi_margin_loss and ReLU at 0; any value in [0, 1/B] is valid there).
arma::mat multiclass_hinge_backward(const arma::mat& scores, const arma::uvec& labels);

}  // namespace gradlab::ops
