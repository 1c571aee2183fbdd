// How lab-errata checks a printed formula (see compare.hpp).
#include "compare.hpp"

#include "gradlab/check/checker.hpp"

#include <algorithm>

using namespace gradlab;

namespace lab_errata {

arma::mat numeric_jacobian(const VecFn& f, arma::vec x) {
  const arma::vec y0 = f(x);
  arma::mat J(y0.n_elem, x.n_elem);
  for (arma::uword i = 0; i < x.n_elem; ++i) {
    const double x0 = x(i), h = check::default_central_step * std::max(1.0, std::abs(x0));
    x(i) = x0 + h;
    const double hp = x(i) - x0;
    const arma::vec yp = f(x);
    x(i) = x0 - h;
    const double hm = x0 - x(i);
    const arma::vec ym = f(x);
    x(i) = x0;
    J.col(i) = (yp - ym) / (hp + hm);
  }
  return J;
}

arma::mat numeric_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X) {
  arma::mat x = X;
  return check::numerical_gradient([&] { return f(x); }, x);
}

Outcome compare(const arma::mat& analytic, const arma::mat& numeric) {
  Outcome o;
  if (analytic.n_rows != numeric.n_rows || analytic.n_cols != numeric.n_cols) {
    o.shape_note = "shapes differ: " + std::to_string(analytic.n_rows) + "x" + std::to_string(analytic.n_cols) +
                   " printed vs " + std::to_string(numeric.n_rows) + "x" + std::to_string(numeric.n_cols);
    return o;
  }
  const check::Tolerance tol = check::default_central_tolerance;
  o.holds = true;
  o.max_rel_error = 0.0;
  for (arma::uword i = 0; i < analytic.n_elem; ++i) {
    o.holds &= tol.accepts(analytic(i), numeric(i));
    o.max_rel_error = std::max(o.max_rel_error, tol.relative_error(analytic(i), numeric(i)));
  }
  return o;
}

arma::mat onehot(arma::uword classes, arma::uword label) {
  arma::mat t(classes, 1, arma::fill::zeros);
  t(label) = 1.0;
  return t;
}

void Formulas::add(std::string report, std::string where, std::string printed, std::string reading,
                   const arma::mat& as_printed, const arma::mat& numeric, bool expected_holds, std::string corrected,
                   std::optional<arma::mat> corrected_value, std::string source) {
  Row r{std::move(report), std::move(where), std::move(printed), std::move(reading), compare(as_printed, numeric),
        expected_holds, std::move(corrected), std::nullopt, std::move(source)};
  if (corrected_value) r.corrected_outcome = compare(*corrected_value, numeric);
  rows.push_back(std::move(r));
}

void Formulas::shape_only(std::string report, std::string where, std::string printed, std::string reading,
                          std::string note, std::string corrected, const arma::mat& corrected_value,
                          const arma::mat& numeric, std::string source) {
  Row r{std::move(report), std::move(where), std::move(printed), std::move(reading), Outcome{}, false,
        std::move(corrected), compare(corrected_value, numeric), std::move(source)};
  r.printed_outcome.shape_note = std::move(note);
  rows.push_back(std::move(r));
}

}  // namespace lab_errata
