#include "gradlab/ops/binary_hinge.hpp"

#include "gradlab/shape.hpp"

namespace gradlab::ops {

namespace {

// scores must be one row of B scores, and labels B entries, each 0 or 1.
void require_arguments(const char* function, const arma::mat& scores, const arma::uvec& labels) {
  require_nonempty(function, "scores", scores);
  require(scores.n_rows == 1, function, [&] {
    return "scores is " + shape_of(scores) + " but must be 1 x B (one score per sample)";
  });
  require(labels.n_elem == scores.n_cols, function, [&] {
    return "labels has " + std::to_string(labels.n_elem) + " entries but the scores are " +
           shape_of(scores) + " (one label per column)";
  });
  for (arma::uword b = 0; b < labels.n_elem; ++b)
    require(labels(b) <= 1, function, [&] {
      return "label " + std::to_string(labels(b)) + " at column " + std::to_string(b) +
             " is not 0 or 1";
    });
}

// y_b = 2 labels_b - 1: 1 x B signs, +1 for label 1 and -1 for label 0
arma::rowvec signs(const arma::uvec& labels) {
  return 2.0 * arma::conv_to<arma::rowvec>::from(labels) - 1.0;
}

}  // namespace

double binary_hinge_forward(const arma::mat& scores, const arma::uvec& labels) {
  require_arguments("binary_hinge_forward", scores, labels);
  // L = (1/B) sum_b max(0, 1 - y_b s_b). Written v < 0 ? 0 : v so that a NaN score makes the
  // loss NaN (divergence must show).
  arma::rowvec violation = 1.0 - signs(labels) % scores;  // 1 x B
  violation.transform([](double v) { return v < 0.0 ? 0.0 : v; });
  const double B = static_cast<double>(scores.n_cols);
  return arma::accu(violation) / B;  // the batch mean
}

arma::mat binary_hinge_backward(const arma::mat& scores, const arma::uvec& labels) {
  require_arguments("binary_hinge_backward", scores, labels);
  const arma::rowvec y = signs(labels);  // 1 x B
  // active_b = 1[1 - y_b s_b > 0]: 0 at the kink (1 - y_b s_b = 0), the subgradient chosen
  const arma::rowvec active = arma::conv_to<arma::rowvec>::from((1.0 - y % scores) > 0.0);
  const double B = static_cast<double>(scores.n_cols);
  return arma::mat(-y % active / B);  // the batch mean's 1/B, applied here once
}

}  // namespace gradlab::ops
