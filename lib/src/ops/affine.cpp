#include "gradlab/ops/affine.hpp"

#include "gradlab/parallel.hpp"
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
  arma::mat Y = W * X;
  // + b in every column, as one loop (each_col() costs a call per column: most of the pass at
  // small widths)
  const double* bias = b.memptr();
  parallel::for_slices(Y.n_cols, Y.n_elem, [&](arma::uword first_col, arma::uword end_col) {
    for (arma::uword j = first_col; j < end_col; ++j) {
      double* y = Y.colptr(j);
      for (arma::uword i = 0; i < Y.n_rows; ++i) y[i] += bias[i];
    }
  });
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
  affine_backward_parameters(dY, X, g.dW, g.db);
  g.dX = W.t() * dY;         // dX = W^T dY
  return g;
}

void affine_backward_parameters(const arma::mat& dY, const arma::mat& X, arma::mat& dW, arma::vec& db) {
  require(dY.n_cols == X.n_cols, "affine_backward_parameters", [&] {
    return "dY is " + shape_of(dY) + " but X is " + shape_of(X) +
           " (one column per sample in both)";
  });
  dW = dY * X.t();         // dW = dY X^T
  // db = row sums of dY (b was added to every column): column 0, then + column j, as one loop
  // (arma::sum(dY, 1) adds in the same order, with a call per column); a slice of rows at a time
  db.zeros(dY.n_rows);
  if (dY.n_cols == 0) return;  // an empty batch: no terms
  double* d = db.memptr();
  parallel::for_slices(dY.n_rows, dY.n_elem, [&](arma::uword first_row, arma::uword end_row) {
    const double* first = dY.colptr(0);
    for (arma::uword i = first_row; i < end_row; ++i) d[i] = first[i];
    for (arma::uword j = 1; j < dY.n_cols; ++j) {
      const double* dy = dY.colptr(j);
      for (arma::uword i = first_row; i < end_row; ++i) d[i] += dy[i];
    }
  });
}

}  // namespace gradlab::ops
