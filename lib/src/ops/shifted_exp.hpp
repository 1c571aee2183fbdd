#pragma once
// Private to lib/src/ops: the shifted exponentials that softmax, log_softmax and
// softmax_cross_entropy share.
#include <armadillo>

#include <utility>

namespace gradlab::ops::detail {
// What every softmax here is built from, per column b of Z: m_b = max_k Z_kb, the shifted
// exponentials E = exp(Z - m) (every entry <= 1: no overflow) and their sums s_b = sum_k E_kb.
// Then softmax = E / s column by column, and logsumexp = m + log s.
struct ShiftedExp {
  arma::rowvec m;
  arma::mat E;
  arma::rowvec s;
};

inline ShiftedExp shifted_exp(const arma::mat& Z) {
  ShiftedExp r{arma::max(Z, 0), Z, {}};
  r.E.each_row() -= r.m;
  r.E = arma::exp(r.E);
  r.s = arma::sum(r.E, 0);
  return r;
}

// log sum_k exp(Z_kb) for each column b, as a 1 x B row: m + log s.
inline arma::rowvec log_sum_exp(const ShiftedExp& x) { return x.m + arma::log(x.s); }

// softmax(Z) column by column: E / s.
inline arma::mat softmax_of(ShiftedExp&& x) {
  x.E.each_row() /= x.s;
  return std::move(x.E);
}

}  // namespace gradlab::ops::detail
