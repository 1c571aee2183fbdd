#include "gradlab/ops/multiclass_hinge.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

namespace {

// scores: C x B.  margins_jb = scores_jb - scores_{labels_b, b} + 1, and 0 on each label's row
// (the label is not compared with itself: its margin would always be 1).
arma::mat margins(const arma::mat& scores, const arma::uvec& labels) {
  arma::rowvec correct(scores.n_cols);  // 1 x B: the label's score in each column
  for (arma::uword b = 0; b < scores.n_cols; ++b) correct(b) = scores(labels(b), b);
  arma::mat m = scores;
  m.each_row() -= correct;
  m += 1.0;
  for (arma::uword b = 0; b < scores.n_cols; ++b) m(labels(b), b) = 0.0;
  return m;
}

void require_arguments(const char* function, const arma::mat& scores, const arma::uvec& labels) {
  require_nonempty(function, "scores", scores);
  require_labels(function, labels, scores);
}

}  // namespace

double multiclass_hinge_forward(const arma::mat& scores, const arma::uvec& labels) {
  require_arguments("multiclass_hinge_forward", scores, labels);
  // L = (1/B) sum_b sum_{j != labels_b} max(0, margin_jb). Written m < 0 ? 0 : m, so that a
  // NaN score makes the loss NaN (divergence must show).
  arma::mat hinge = margins(scores, labels);
  hinge.transform([](double m) { return m < 0.0 ? 0.0 : m; });
  const double B = static_cast<double>(scores.n_cols);
  return arma::accu(hinge) / B;  // the batch mean
}

arma::mat multiclass_hinge_backward(const arma::mat& scores, const arma::uvec& labels) {
  require_arguments("multiclass_hinge_backward", scores, labels);
  // active_jb = 1[margin_jb > 0]: C x B, 0 on the label rows (their margin is set to 0) and 0 at
  // a margin of exactly 0 (the subgradient chosen at the kink)
  const arma::mat active = arma::conv_to<arma::mat>::from(margins(scores, labels) > 0.0);
  // term 1: d max(0, s_j - s_y + 1) / d s_j = 1 where active
  arma::mat dscores = active;
  // term 2: the same margins through -s_y: the label's row collects -1 per active margin
  for (arma::uword b = 0; b < scores.n_cols; ++b)
    dscores(labels(b), b) = -arma::accu(active.col(b));
  const double B = static_cast<double>(scores.n_cols);
  return dscores / B;  // the batch mean's 1/B, applied here once
}

}  // namespace gradlab::ops
