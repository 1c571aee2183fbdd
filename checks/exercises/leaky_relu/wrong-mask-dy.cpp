// expect: contract  chooses between slope and 1 by the sign of dY instead of X: the gradient is then not linear in dY
#include "exercise.hpp"

arma::mat leaky_relu_backward(const arma::mat& dY, const arma::mat& X, double slope) {
  arma::mat local(arma::size(dY), arma::fill::value(slope));
  local.elem(arma::find(dY > 0.0)).ones();
  return dY % local;
}
