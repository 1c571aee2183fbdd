// expect: sign  the Jacobian written s s^T - diag(s) instead of diag(s) - s s^T
#include "exercise.hpp"

arma::mat softmax_backward(const arma::mat& dY, const arma::mat& Y) {
  arma::mat dZ(arma::size(dY));
  for (arma::uword b = 0; b < dY.n_cols; ++b) {
    const arma::vec s = Y.col(b);
    const arma::mat J = s * s.t() - arma::diagmat(s);
    dZ.col(b) = J * dY.col(b);
  }
  return dZ;
}
