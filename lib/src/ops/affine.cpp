#include "gradlab/ops/affine.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

arma::mat affine_forward(const arma::mat& W, const arma::vec& b, const arma::mat& X) {
  // W: M x D, b: M, X: D x B  ->  Y: M x B
  require_affine_shapes("affine_forward", W, b, X);
  arma::mat Y = W * X;  // Y = W X
  Y.each_col() += b;    //   + b, in every column
  return Y;
}

AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  // dY: M x B, W: M x D, X: D x B
  require_affine_backward_shapes("affine_backward", dY, W, X);
  AffineGrads g;
  g.dW = dY * X.t();         // dW = dY X^T
  g.db = arma::sum(dY, 1);   // db = row sums of dY (b was added to every column)
  g.dX = W.t() * dY;         // dX = W^T dY
  return g;
}

}  // namespace gradlab::ops
