// A correct answer: per column, dz = (diag(s) - s s^T) p = s ⊙ (p - <s, p>) (report 003, eqs. 4, 10).
#include "exercise.hpp"

arma::mat softmax_backward(const arma::mat& dY, const arma::mat& Y) {
  arma::mat centred = dY;
  centred.each_row() -= arma::sum(Y % dY, 0);
  return Y % centred;
}
