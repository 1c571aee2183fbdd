#include "gradlab/ops/affine.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

arma::mat affine_forward(const arma::mat& W, const arma::vec& b, const arma::mat& X) {
  // W: M x D, b: M, X: D x B  ->  Y: M x B
  require(W.n_cols == X.n_rows, "affine_forward", [&] {
    return "W is " + shape_of(W) + " but X is " + shape_of(X) +
           " (W's columns must equal X's rows)";
  });
  require(b.n_elem == W.n_rows, "affine_forward", [&] {
    return "b has " + std::to_string(b.n_elem) + " entries but W is " + shape_of(W) +
           " (one bias per row of W)";
  });
  arma::mat Y = W * X;  // Y = W X
  Y.each_col() += b;    //   + b, in every column
  return Y;
}

AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  // dY: M x B, W: M x D, X: D x B
  require(W.n_cols == X.n_rows, "affine_backward", [&] {
    return "W is " + shape_of(W) + " but X is " + shape_of(X) +
           " (W's columns must equal X's rows)";
  });
  require(dY.n_rows == W.n_rows && dY.n_cols == X.n_cols, "affine_backward", [&] {
    return "dY is " + shape_of(dY) + " but W X is " + std::to_string(W.n_rows) + "x" +
           std::to_string(X.n_cols);
  });
  AffineGrads g;
  g.dW = dY * X.t();         // dW = dY X^T
  g.db = arma::sum(dY, 1);   // db = row sums of dY (b was added to every column)
  g.dX = W.t() * dY;         // dX = W^T dY
  return g;
}

}  // namespace gradlab::ops
