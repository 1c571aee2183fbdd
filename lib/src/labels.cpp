#include "gradlab/labels.hpp"

#include "gradlab/shape.hpp"

namespace gradlab {

arma::mat one_hot(const arma::uvec& labels, arma::uword classes) {
  arma::mat T(classes, labels.n_elem, arma::fill::zeros);
  for (arma::uword b = 0; b < labels.n_elem; ++b) {
    require(labels(b) < classes, "one_hot", [&] {
      return "label " + std::to_string(labels(b)) + " at column " + std::to_string(b) +
             " is out of range for " + std::to_string(classes) + " classes";
    });
    T(labels(b), b) = 1.0;
  }
  return T;
}

}  // namespace gradlab
