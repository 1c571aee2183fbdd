#pragma once
// What kind of mistake a failing gradient shows. The checker compares the analytic gradient A
// (what backward returned) with the numeric one N (finite differences) entry by entry; when a
// tensor fails, diagnose() looks for the pattern the mismatch follows and says it in one line,
// with the numbers that support it. A pattern is named only when it explains the entries (see
// `explains` below); otherwise the diagnosis is "no known pattern". docs/checker.md lists each
// pattern with the mistake behind it; checks/check_diagnosis.cpp plants each one.
#include "gradlab/check/checker.hpp"

#include <armadillo>

#include <functional>
#include <string>
#include <vector>

namespace gradlab::check {

// A tensor the mistake may involve: one of the check's inputs, its output Y or the upstream
// gradient G. Masks are matched against their signs, missing terms against their directions.
struct Related {
  std::string name;
  arma::mat value;
};

// A lazily computed numeric gradient: the same tensor's, with input `name` (square) transposed
// in the forward pass. A equal to it means backward used W where W^T belongs (or the reverse).
struct TransposedInput {
  std::string name;
  std::function<arma::mat()> numeric;
};

// Everything diagnose() reads about one failing tensor.
struct Evidence {
  std::string tensor;   // e.g. "dW"
  arma::mat analytic;   // A, the tensor's shape (or the Jacobian block)
  arma::mat numeric;    // N, the same shape
  arma::umat corner;    // 1 where a corner lies clearly within the step (clear_corner)
  arma::umat failed;    // 1 where the entry's verdict is FAIL
  Tolerance tolerance;  // the check's
  arma::uword batch = 0;  // samples in the batch (0: unknown), to name a scale of B or 1/B
  std::vector<Related> related;
  std::vector<TransposedInput> transposed;
  // backward's contract: when it is not repeatable or not assigned, that explains every tensor
  ContractResult contract;
};

// A pattern "explains" an entry when A agrees with the pattern's prediction P to the check's
// tolerance, widened by max(1, |c|) for a fitted constant c (P carries N's error times c). A
// pattern is named when it explains at least this share of the entries.
inline constexpr double explained_share_needed = 0.99;

Diagnosis diagnose(const Evidence& evidence);

}  // namespace gradlab::check
