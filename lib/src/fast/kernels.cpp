#include "gradlab/fast/kernels.hpp"

#include "gradlab/fast/parallel.hpp"
#include "gradlab/shape.hpp"

#include <cmath>

namespace gradlab::fast {

namespace {

// One entry of the heavy ball: v = mu v + g;  theta -= lr v (optim::heavy_ball_step's equations).
inline void heavy_ball_entry(double& v, double& theta, double g, double mu, double lr) {
  v = mu * v + g;
  theta -= lr * v;
}

// The heavy ball, element by element. Built for AVX2 as well as for the baseline instruction
// set, the best one picked when the program starts: the same operations in the same order
// either way (no fused multiply-add: the project builds with -ffp-contract=off), so the same
// numbers on every machine.
__attribute__((target_clones("avx2", "default"))) void heavy_ball(double* v, double* theta,
                                                                 const double* g, arma::uword n,
                                                                 double mu, double lr) {
  for (arma::uword k = 0; k < n; ++k) heavy_ball_entry(v[k], theta[k], g[k], mu, lr);
}

// The same update with the gradient of a layer at batch 1, g = dy x^T (M x N, column-major),
// made entry by entry as it is used: column j's gradient is dy * x[j].
__attribute__((target_clones("avx2", "default"))) void heavy_ball_outer(
    double* v, double* theta, const double* dy, const double* x, arma::uword M, arma::uword N,
    double mu, double lr) {
  for (arma::uword j = 0; j < N; ++j) {
    const double xj = x[j];
    double* vj = v + j * M;
    double* thetaj = theta + j * M;
    for (arma::uword i = 0; i < M; ++i) heavy_ball_entry(vj[i], thetaj[i], dy[i] * xj, mu, lr);
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

void heavy_ball_outer_step(arma::mat& v, arma::mat& theta, const arma::mat& dy, const arma::mat& x,
                           double mu, double lr) {
  require(dy.n_cols == 1 && x.n_cols == 1, "fast::heavy_ball_outer_step", [&] {
    return "dy is " + shape_of(dy) + " and x is " + shape_of(x) + " (one column each: batch 1)";
  });
  require(theta.n_rows == dy.n_rows && theta.n_cols == x.n_rows, "fast::heavy_ball_outer_step",
          [&] {
            return "theta is " + shape_of(theta) + " but dy x^T is " + std::to_string(dy.n_rows) +
                   "x" + std::to_string(x.n_rows);
          });
  require_same_shape("fast::heavy_ball_outer_step", "v", v, "theta", theta);
  double* velocity = v.memptr();
  double* values = theta.memptr();
  const double* d = dy.memptr();
  const double* in = x.memptr();
  const arma::uword M = theta.n_rows;
  // a slice of columns per thread; the loop touches two arrays of M N numbers twice
  parallel::for_slices(theta.n_cols, 2.0 * theta.n_elem, [=](arma::uword first, arma::uword end) {
    heavy_ball_outer(velocity + first * M, values + first * M, d, in + first, M, end - first, mu,
                     lr);
  });
}

// Softmax cross-entropy -----------------------------------------------------------------------
// ops::softmax_cross_entropy_forward's equations (and its detail::shifted_exp's), column by
// column in one loop where the reference makes a pass over the whole matrix for each: E =
// exp(Z - m) written once into probs, r summed from it, then divided by s = 1 + r in place.

namespace {
// An exponential costs about twenty times a number of a simple pass: a loop of exps counts each
// as this many numbers when it asks for threads (parallel::for_slices). The measurements:
// docs/studies/performance.md, "numbers_per_exp".
constexpr double numbers_per_exp = 8.0;
}  // namespace

ops::SoftmaxCrossEntropy softmax_cross_entropy_forward(const arma::mat& logits,
                                                       const arma::uvec& labels) {
  require_nonempty("fast::softmax_cross_entropy_forward", "logits", logits);
  require_labels("fast::softmax_cross_entropy_forward", labels, logits);
  const arma::uword C = logits.n_rows, B = logits.n_cols;
  arma::mat probs(C, B, arma::fill::none);  // every entry written below
  arma::rowvec terms(B, arma::fill::none);  // each sample's loss, summed in order below
  const arma::uword* label = labels.memptr();
  parallel::for_slices(B, numbers_per_exp * logits.n_elem, [&](arma::uword first, arma::uword end) {
    for (arma::uword b = first; b < end; ++b) {
      const double* z = logits.colptr(b);
      double* p = probs.colptr(b);
      // m and the first largest entry, as arma::max and arma::index_max find them (a NaN is never
      // the largest; m's sign, when the largest is a zero, changes no result below)
      double m = -arma::datum::inf;
      arma::uword top = 0;
      for (arma::uword k = 0; k < C; ++k)
        if (z[k] > m) {
          m = z[k];
          top = k;
        }
      for (arma::uword k = 0; k < C; ++k) p[k] = std::exp(z[k] - m);
      double r = 0.0;  // the sum of E but at the largest entry
      for (arma::uword k = 0; k < C; ++k)
        if (k != top) r += p[k];
      const double s = 1.0 + r;
      for (arma::uword k = 0; k < C; ++k) p[k] /= s;
      terms[b] = (m - z[label[b]]) + std::log1p(r);
    }
  });
  double total = 0.0;
  for (arma::uword b = 0; b < B; ++b) total += terms[b];
  return {total / static_cast<double>(B), std::move(probs)};
}

arma::mat softmax_cross_entropy_backward(const arma::mat& probs, const arma::uvec& labels) {
  require_nonempty("fast::softmax_cross_entropy_backward", "probs", probs);
  require_labels("fast::softmax_cross_entropy_backward", labels, probs);
  const arma::uword C = probs.n_rows, B = probs.n_cols;
  const double batch = static_cast<double>(B);
  arma::mat dlogits(C, B, arma::fill::none);  // every entry written below
  const arma::uword* label = labels.memptr();
  parallel::for_slices(B, probs.n_elem, [&](arma::uword first, arma::uword end) {
    for (arma::uword b = first; b < end; ++b) {
      const double* p = probs.colptr(b);
      double* d = dlogits.colptr(b);
      for (arma::uword k = 0; k < C; ++k) d[k] = p[k] / batch;
      double others = 0.0;  // at the label, p - 1 is -(the other probabilities' sum)
      for (arma::uword k = 0; k < C; ++k)
        if (k != label[b]) others += p[k];
      d[label[b]] = -others / batch;
    }
  });
  return dlogits;
}

}  // namespace gradlab::fast
