#include "gradlab/fast/kernels.hpp"

#include "gradlab/fast/parallel.hpp"
#include "gradlab/shape.hpp"

namespace gradlab::fast {

namespace {

// v = mu v + g;  theta -= lr v, element by element. Built for AVX2 as well as for the baseline
// instruction set, the best one picked when the program starts: the same operations in the same
// order either way (no fused multiply-add: the project builds with -ffp-contract=off), so the
// same numbers on every machine.
__attribute__((target_clones("avx2", "default"))) void heavy_ball(double* v, double* theta,
                                                                 const double* g, arma::uword n,
                                                                 double mu, double lr) {
  for (arma::uword k = 0; k < n; ++k) {
    v[k] = mu * v[k] + g[k];
    theta[k] -= lr * v[k];
  }
}

}  // namespace

arma::mat affine_forward(const arma::mat& W, const arma::vec& b, const arma::mat& X) {
  require_affine_shapes("fast::affine_forward", W, b, X);
  arma::mat Y = W * X;
  // + b in every column, as one loop (each_col() costs a call per column), a slice of columns
  // per thread
  const double* bias = b.memptr();
  parallel::for_slices(Y.n_cols, Y.n_elem, [&](arma::uword first_col, arma::uword end_col) {
    for (arma::uword j = first_col; j < end_col; ++j) {
      double* y = Y.colptr(j);
      for (arma::uword i = 0; i < Y.n_rows; ++i) y[i] += bias[i];
    }
  });
  return Y;
}

ops::AffineGrads affine_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X) {
  require_affine_backward_shapes("fast::affine_backward", dY, W, X);
  ops::AffineGrads g;
  affine_backward_parameters(dY, X, g.dW, g.db);
  g.dX = W.t() * dY;
  return g;
}

void affine_backward_parameters(const arma::mat& dY, const arma::mat& X, arma::mat& dW,
                                arma::vec& db) {
  require(dY.n_cols == X.n_cols, "fast::affine_backward_parameters", [&] {
    return "dY is " + shape_of(dY) + " but X is " + shape_of(X) +
           " (one column per sample in both)";
  });
  dW = dY * X.t();
  // db = row sums of dY: column 0, then + column j, in arma::sum(dY, 1)'s order, as one loop
  // over a slice of rows per thread
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

arma::mat relu_forward(const arma::mat& X) {
  arma::mat Y(arma::size(X), arma::fill::none);  // every entry written below
  const double* x = X.memptr();
  double* y = Y.memptr();
  parallel::for_slices(Y.n_elem, Y.n_elem, [=](arma::uword begin, arma::uword end) {
    for (arma::uword k = begin; k < end; ++k) y[k] = x[k] < 0.0 ? 0.0 : x[k];
  });
  return Y;
}

arma::mat relu_backward(const arma::mat& dY, const arma::mat& X) {
  require_same_shape("fast::relu_backward", "dY", dY, "X", X);
  arma::mat dX(arma::size(dY), arma::fill::none);  // every entry written below
  const double* x = X.memptr();
  const double* dy = dY.memptr();
  double* dx = dX.memptr();
  parallel::for_slices(dX.n_elem, dX.n_elem, [=](arma::uword begin, arma::uword end) {
    for (arma::uword k = begin; k < end; ++k) dx[k] = dy[k] * (x[k] > 0.0 ? 1.0 : 0.0);
  });
  return dX;
}

void heavy_ball_step(arma::mat& v, arma::mat& theta, const arma::mat& g, double mu, double lr) {
  require_same_shape("fast::heavy_ball_step", "v", v, "theta", theta);
  require_same_shape("fast::heavy_ball_step", "g", g, "theta", theta);
  double* velocity = v.memptr();
  double* values = theta.memptr();
  const double* gradient = g.memptr();
  // a slice per thread; the loop touches three arrays of n numbers
  parallel::for_slices(v.n_elem, 3.0 * v.n_elem, [=](arma::uword begin, arma::uword end) {
    heavy_ball(velocity + begin, values + begin, gradient + begin, end - begin, mu, lr);
  });
}

}  // namespace gradlab::fast
