#pragma once
// Integer class labels and their one-hot columns.
#include <armadillo>

namespace gradlab {

// labels: B indices in [0, classes).  Returns classes x B with a 1 at (labels_b, b).
arma::mat one_hot(const arma::uvec& labels, arma::uword classes);

}  // namespace gradlab
