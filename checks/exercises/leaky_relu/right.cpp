// A correct answer: dX = dY ⊙ (1 where X > 0, slope elsewhere).
#include "exercise.hpp"

arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X, double slope) {
  arma::mat local(arma::size(X), arma::fill::value(slope));
  local.elem(arma::find(X > 0.0)).ones();
  return dY % local;
}
