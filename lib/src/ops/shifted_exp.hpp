#pragma once
// Private to lib/src/ops: the shifted exponentials that softmax, log_softmax and
// softmax_cross_entropy share.
#include <armadillo>

#include <utility>

namespace gradlab::ops::detail {
// What every softmax here is built from, per column b of Z: m_b = max_k Z_kb, the shifted
// exponentials E = exp(Z - m) (every entry <= 1: no overflow), their sums s_b = sum_k E_kb and
// r_b = s_b - 1, the sum of the entries other than the (first) largest, whose E is exactly 1.
// Then softmax = E / s column by column, and logsumexp = m + log1p(r). (When one logit
// dominates, s = 1 + r rounds r away: at r = 2e-9 it keeps eight digits of it, and log(s) would
// carry that loss into every log-probability near 0; log1p(r) keeps r whole.)
struct ShiftedExp {
  arma::rowvec m;
  arma::mat E;
  arma::rowvec s;
  arma::rowvec r;
};
inline ShiftedExp shifted_exp(const arma::mat& Z) {
  ShiftedExp x{arma::max(Z, 0), Z, {}, arma::rowvec(Z.n_cols, arma::fill::zeros)};
  x.E.each_row() -= x.m;
  x.E = arma::exp(x.E);
  const arma::urowvec top = arma::index_max(Z, 0);
  for (arma::uword b = 0; b < Z.n_cols; ++b)
    for (arma::uword k = 0; k < Z.n_rows; ++k)
      if (k != top(b)) x.r(b) += x.E(k, b);
  x.s = 1.0 + x.r;
  return x;
}
// softmax(Z) column by column: E / s.
inline arma::mat softmax_of(ShiftedExp&& x) {
  x.E.each_row() /= x.s;
  return std::move(x.E);
}

}  // namespace gradlab::ops::detail
