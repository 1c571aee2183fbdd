// A correct answer: dX = dY ⊙ keep / (1 - p), the forward's own factor.
#include "exercise.hpp"

arma::mat dropout_backward(const arma::mat& dY, const arma::mat& keep, double p) {
  return dY % keep / (1.0 - p);
}
