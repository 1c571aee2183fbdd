#pragma once
// How lab-errata checks a printed formula: numerical Jacobians and gradients at the checker's
// default step, every element compared against the checker's default tolerance (compare), and
// one row of the errata table (Row), collected by Formulas.
#include <armadillo>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lab_errata {

using VecFn = std::function<arma::vec(const arma::vec&)>;

// Numerical Jacobian d f / d x (rows: outputs, columns: inputs), central differences at the
// checker's default step, relative to max(1, |x_i|).
arma::mat numeric_jacobian(const VecFn& f, arma::vec x);

// Numerical gradient of a scalar function of a matrix (same shape as X).
arma::mat numeric_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X);

// What checking one formula gave.
struct Outcome {
  bool holds = false;
  double max_rel_error = NAN;  // NaN when the shapes do not even match
  std::string shape_note;
};

// Every element against the checker's default (central) tolerance.
Outcome compare(const arma::mat& analytic, const arma::mat& numeric);

// One formula as printed, what checking it gave, and (when it fails) its correction.
struct Row {
  std::string report, where, printed, reading;
  Outcome printed_outcome;
  bool expected_holds = true;
  std::string corrected;  // empty when the printed formula holds
  std::optional<Outcome> corrected_outcome;
  std::string source;  // who got it wrong: "authors", "extraction", "-"
};

// The one-hot column of label among classes.
arma::mat onehot(arma::uword classes, arma::uword label);

// The rows of one draw, in the order the formulas are checked.
struct Formulas {
  std::vector<Row> rows;
  // A formula checked as printed (as_printed against numeric), and its correction when given.
  void add(std::string report, std::string where, std::string printed, std::string reading,
           const arma::mat& as_printed, const arma::mat& numeric, bool expected_holds, std::string corrected = "",
           std::optional<arma::mat> corrected_value = std::nullopt, std::string source = "-");
  // A formula whose printed shapes do not even multiply (note says why): only its correction is
  // checked.
  void shape_only(std::string report, std::string where, std::string printed, std::string reading, std::string note,
                  std::string corrected, const arma::mat& corrected_value, const arma::mat& numeric,
                  std::string source);
};

}  // namespace lab_errata
