#include "gradlab/check/diagnosis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace gradlab::check {

const char* to_string(Pattern pattern) {
  switch (pattern) {
    case Pattern::none: return "none";
    case Pattern::contract: return "contract";
    case Pattern::kinks_only: return "only at kinks";
    case Pattern::sign: return "sign";
    case Pattern::scale: return "scale";
    case Pattern::transpose: return "transpose";
    case Pattern::mask: return "mask";
    case Pattern::reduction: return "reduction";
    case Pattern::missing_term: return "missing term";
    case Pattern::unknown: return "no known pattern";
  }
  return "?";
}

namespace {

// A figure for the one-line summary: `digits` significant digits.
std::string figure(double value, int digits = 4) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

// "1 entry", "4 entries".
std::string count(arma::uword n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}
std::string entries(arma::uword n) { return count(n, "entry", "entries"); }

std::string percent(double share) { return figure(100.0 * share, 3) + "%"; }

Diagnosis found(Pattern pattern, std::string summary, double explained, double constant = NAN,
                double spread = NAN) {
  Diagnosis d;
  d.pattern = pattern;
  d.summary = std::string(to_string(pattern)) + ": " + summary;
  d.explained = explained;
  d.constant = constant;
  d.spread = spread;
  return d;
}

// The entries a pattern is fitted to: not at a kink (there any value between the one-sided
// slopes is right, so no pattern can be read off), with a finite numeric value.
arma::uvec usable_entries(const Evidence& e) {
  std::vector<arma::uword> keep;
  for (arma::uword i = 0; i < e.numeric.n_elem; ++i)
    if (e.corner(i) == 0 && std::isfinite(e.numeric(i))) keep.push_back(i);
  return arma::uvec(keep);
}

// The share of entries u where A agrees with the prediction P (see `explains` in the header).
double share(const arma::mat& A, const arma::mat& P, const arma::uvec& u, const Tolerance& tol,
             double widen = 1.0) {
  if (u.is_empty()) return 0.0;
  arma::uword agree = 0;
  for (arma::uword i : u)
    if (std::isfinite(P(i)) &&
        std::abs(A(i) - P(i)) <= widen * tol.atol + tol.rtol * std::abs(P(i)))
      ++agree;
  return static_cast<double>(agree) / static_cast<double>(u.n_elem);
}

bool explains(double s) { return s >= explained_share_needed; }

// A = c N: the least-squares c over the usable entries, the share it explains, and the spread
// of A_i / N_i (standard deviation over |c|) over the entries where N is not negligible.
struct ScaleFit {
  double c = NAN, explained = 0.0, spread = NAN;
  arma::uword entries = 0;
};

ScaleFit fit_scale(const Evidence& e, const arma::uvec& u) {
  ScaleFit f;
  const arma::vec a = e.analytic.elem(u), n = e.numeric.elem(u);
  const double nn = arma::dot(n, n);
  if (u.is_empty() || nn == 0.0) return f;
  f.c = arma::dot(a, n) / nn;
  f.explained = share(e.analytic, f.c * e.numeric, u, e.tolerance, std::max(1.0, std::abs(f.c)));
  const double floor = 1e-6 * arma::abs(n).max();
  const arma::uvec big = arma::find(arma::abs(n) > floor);
  f.entries = big.n_elem;
  if (big.n_elem > 1 && f.c != 0.0) {
    const arma::vec ratios = a.elem(big) / n.elem(big);
    f.spread = arma::stddev(ratios) / std::abs(f.c);
  } else if (big.n_elem == 1) {
    f.spread = 0.0;
  }
  return f;
}

std::optional<Diagnosis> sign_or_scale(const Evidence& e, const ScaleFit& f) {
  if (!std::isfinite(f.c) || !explains(f.explained)) return std::nullopt;
  if (std::abs(f.c - 1.0) <= 1e-4) return std::nullopt;  // A = N where it is explained at all
  const std::string evidence = " (spread " + figure(f.spread, 2) + " over " +
                               entries(f.entries) + ", explains " +
                               percent(f.explained) + ")";
  if (std::abs(f.c + 1.0) <= 1e-4)
    return found(Pattern::sign, "analytic = -numeric, c = " + figure(f.c, 6) + evidence,
                 f.explained, f.c, f.spread);
  std::string meaning;
  const double B = static_cast<double>(e.batch);
  if (e.batch >= 2 && std::abs(f.c * B - 1.0) <= 1e-4)
    meaning = " = 1/B (B = " + std::to_string(e.batch) + "): the batch mean applied twice";
  else if (e.batch >= 2 && std::abs(f.c / B - 1.0) <= 1e-4)
    meaning = " = B (B = " + std::to_string(e.batch) + "): the batch mean never applied";
  if (std::abs(f.c) <= 1e-10)  // zero up to rounding: nothing of the gradient is there
    return found(Pattern::missing_term, "analytic is zero: the whole gradient is missing",
                 f.explained, f.c, f.spread);
  return found(Pattern::scale, "analytic = c numeric, c = " + figure(f.c, 6) + meaning + evidence,
               f.explained, f.c, f.spread);
}

// A = N^T (square), or N's entries laid into A's shape in the other order.
std::optional<Diagnosis> transposed(const Evidence& e, const arma::uvec& u) {
  const arma::mat& A = e.analytic;
  if (A.n_rows < 2 || A.n_cols < 2) return std::nullopt;
  const arma::mat Nt = e.numeric.t();
  const arma::mat P(const_cast<double*>(Nt.memptr()), A.n_rows, A.n_cols, false, true);
  const double s = share(A, P, u, e.tolerance);
  if (!explains(s)) return std::nullopt;
  if (A.n_rows == A.n_cols)
    return found(Pattern::transpose, "analytic = numeric^T (explains " + percent(s) + ")", s);
  return found(Pattern::transpose,
               "analytic holds numeric's entries with the axes' roles swapped (numeric^T read "
               "into a " + std::to_string(A.n_rows) + "x" + std::to_string(A.n_cols) +
                   " shape; explains " + percent(s) + ")",
               s);
}

// The related tensor whose sign pattern (> 0, or < 0) matches `support` on at least the needed
// share of entries, as "G > 0"; empty when none does.
std::string sign_pattern_of(const arma::umat& support, const std::vector<Related>& related,
                            const std::string& skip = "") {
  std::string best;
  double best_share = 0.0;
  for (const Related& r : related) {
    if (r.name == skip || arma::size(r.value) != arma::size(support)) continue;
    for (int side : {+1, -1}) {
      const arma::umat pattern = side > 0 ? arma::umat(r.value > 0.0) : arma::umat(r.value < 0.0);
      const double s = static_cast<double>(arma::accu(pattern == support)) /
                       static_cast<double>(support.n_elem);
      if (s > best_share && explains(s)) {
        best_share = s;
        best = r.name + (side > 0 ? " > 0" : " < 0");
      }
    }
  }
  return best;
}

// A is zero where N is not, or nonzero where N is zero, and agrees with N elsewhere.
std::optional<Diagnosis> masked(const Evidence& e, const arma::uvec& u) {
  const arma::mat& A = e.analytic;
  const arma::mat& N = e.numeric;
  const double zero = e.tolerance.atol;
  arma::uword dropped = 0, added = 0, other = 0;
  for (arma::uword i : u) {
    if (e.tolerance.accepts(A(i), N(i))) continue;
    if (std::abs(A(i)) <= zero) ++dropped;
    else if (std::abs(N(i)) <= zero) ++added;
    else ++other;
  }
  const arma::uword wrong = dropped + added + other;
  if (wrong == 0 || static_cast<double>(other) > (1.0 - explained_share_needed) * wrong)
    return std::nullopt;
  const double s = 1.0 - static_cast<double>(other) / static_cast<double>(u.n_elem);
  std::string summary = "analytic is zero where numeric is not at " + entries(dropped) +
                        ", nonzero where numeric is zero at " + entries(added);
  const arma::umat support_a = arma::abs(A) > zero, support_n = arma::abs(N) > zero;
  const std::string from = sign_pattern_of(support_a, e.related);
  const std::string right = sign_pattern_of(support_n, e.related);
  if (!from.empty() && from != right) {
    summary += "; analytic is nonzero exactly where " + from;
    if (!right.empty()) summary += ", numeric where " + right;
    summary += ": the mask was taken from the wrong tensor";
  } else {
    summary += "; the pattern follows no related tensor's sign";
  }
  return found(Pattern::mask, summary + " (explains " + percent(s) + ")", s);
}

// A sums the wrong axis: every entry is sum(N), or A is one column of a related tensor whose
// columns sum to N (one sample's term, where the sum over the batch belongs).
std::optional<Diagnosis> reduced(const Evidence& e, const arma::uvec& u) {
  const arma::mat& A = e.analytic;
  if (A.n_elem >= 2 && arma::abs(e.numeric - e.numeric(0)).max() > e.tolerance.atol) {
    const double total = arma::accu(e.numeric);
    const arma::mat P(arma::size(A), arma::fill::value(total));
    const double s = share(A, P, u, e.tolerance, std::max(1.0, std::abs(total)));
    if (explains(s))
      return found(Pattern::reduction,
                   "every entry of analytic is sum(numeric) = " + figure(total) +
                       ": summed over every axis and broadcast (explains " + percent(s) + ")",
                   s);
  }
  if (A.n_cols != 1 || A.n_rows < 2) return std::nullopt;
  for (const Related& r : e.related) {
    if (r.value.n_rows != A.n_rows || r.value.n_cols < 2) continue;
    for (arma::uword b = 0; b < r.value.n_cols; ++b) {
      const double s = share(A, r.value.col(b), u, e.tolerance);
      if (!explains(s)) continue;
      const bool sum_is_right =
          explains(share(e.numeric, arma::sum(r.value, 1), u, e.tolerance));
      return found(Pattern::reduction,
                   "analytic is column " + std::to_string(b) + " of " + r.name +
                       (sum_is_right ? " (one sample's term), numeric the sum of its " +
                                           std::to_string(r.value.n_cols) + " columns"
                                     : "") +
                       " (explains " + percent(s) + ")",
                   s);
    }
  }
  return std::nullopt;
}

// A - N lies along a known direction, with one coefficient per row (across the batch) or per
// column (per sample). Each fit needs at least two more entries per coefficient group than it
// has coefficients, so that it cannot match any residual.
std::optional<Diagnosis> missing_term(const Evidence& e, const arma::uvec& u) {
  const arma::mat& A = e.analytic;
  const arma::mat R = A - e.numeric;
  const double widen = std::max(1.0, arma::abs(R).max());
  // Fits each row (rows = true) or column of R on the columns of `basis` (entries as rows).
  auto fitted = [&](bool rows, const std::vector<const arma::mat*>& directions) {
    arma::mat fit(arma::size(R), arma::fill::zeros);
    const arma::uword groups = rows ? R.n_rows : R.n_cols;
    for (arma::uword g = 0; g < groups; ++g) {
      const arma::vec r = rows ? arma::vec(R.row(g).t()) : arma::vec(R.col(g));
      arma::mat basis(r.n_elem, directions.size() + (rows ? 1 : 0), arma::fill::ones);
      for (std::size_t k = 0; k < directions.size(); ++k)
        basis.col(k) = rows ? arma::vec(directions[k]->row(g).t()) : arma::vec(directions[k]->col(g));
      arma::vec coefficients;
      if (!arma::solve(coefficients, basis, r, arma::solve_opts::no_approx)) continue;
      const arma::vec line = basis * coefficients;
      if (rows) fit.row(g) = line.t(); else fit.col(g) = line;
    }
    return share(A, e.numeric + fit, u, e.tolerance, widen);
  };
  if (R.n_cols >= 3) {
    const double s = fitted(true, {});
    if (explains(s))
      return found(Pattern::missing_term,
                   "analytic - numeric is the same for every sample (one constant per row, " +
                       std::to_string(R.n_rows) + " rows): a term through the batch sum or mean "
                       "is missing or extra (explains " + percent(s) + ")",
                   s);
  }
  for (const Related& r : e.related) {
    if (arma::size(r.value) != arma::size(R)) continue;
    const double along_rows = R.n_cols >= 4 ? fitted(true, {&r.value}) : 0.0;
    if (explains(along_rows))
      return found(Pattern::missing_term,
                   "analytic - numeric = a_i + k_i " + r.name + " along each row i: a term along " +
                       r.name + " is missing or extra (explains " + percent(along_rows) + ")",
                   along_rows);
    const double along_columns = R.n_rows >= 3 ? fitted(false, {&r.value}) : 0.0;
    if (explains(along_columns))
      return found(Pattern::missing_term,
                   "analytic - numeric = k_j " + r.name + " in each column j: a term along " +
                       r.name + " is missing or extra (explains " + percent(along_columns) + ")",
                   along_columns);
  }
  return std::nullopt;
}

std::optional<Diagnosis> transposed_input(const Evidence& e, const arma::uvec& u) {
  for (const TransposedInput& t : e.transposed) {
    const arma::mat N = t.numeric();
    if (arma::size(N) != arma::size(e.analytic)) continue;
    const double s = share(e.analytic, N, u, e.tolerance);
    if (explains(s))
      return found(Pattern::transpose,
                   "analytic is the gradient with " + t.name + "^T in place of " + t.name +
                       ": backward used " + t.name + " where " + t.name +
                       "^T belongs, or the reverse (explains " + percent(s) + ")",
                   s);
  }
  return std::nullopt;
}

Diagnosis pattern_of(const Evidence& e);

}  // namespace

Diagnosis diagnose(const Evidence& e) {
  // Gradients that change from call to call, or have the wrong shape or NaN, carry no pattern.
  // One that is merely not linear in G (a mask read from G) may still show which one.
  const ContractResult& c = e.contract;
  if (!c.assigned || !c.repeatable) return found(Pattern::contract, c.problem, 1.0);
  if (!e.analytic.is_finite())
    return found(Pattern::contract, e.tensor + " has non-finite entries", 1.0);
  Diagnosis d = pattern_of(e);
  if (!c.linear) {
    if (d.pattern == Pattern::unknown) return found(Pattern::contract, c.problem, 1.0);
    d.summary += "; and backward is not linear in the upstream gradient";
  }
  return d;
}

namespace {

Diagnosis pattern_of(const Evidence& e) {

  const arma::uvec failing = arma::find(e.failed);
  if (!failing.is_empty() && arma::all(e.corner.elem(failing) != 0))
    return found(Pattern::kinks_only,
                 "all " + count(failing.n_elem, "failing entry", "failing entries") +
                     " have a kink within the step, and analytic lies outside the one-sided "
                     "slopes there (a subgradient outside the bracket)",
                 1.0);

  const arma::uvec u = usable_entries(e);
  const ScaleFit scale = fit_scale(e, u);
  if (auto d = sign_or_scale(e, scale)) return *d;
  if (auto d = transposed(e, u)) return *d;
  if (auto d = masked(e, u)) return *d;
  if (auto d = reduced(e, u)) return *d;
  if (auto d = missing_term(e, u)) return *d;
  if (auto d = transposed_input(e, u)) return *d;
  std::string best = std::isfinite(scale.c)
                         ? "the best constant, c = " + figure(scale.c) + ", explains " +
                               percent(scale.explained) + " of the entries"
                         : "the numeric gradient is zero";
  return found(Pattern::unknown,
               "not a sign, scale, transpose, mask, reduction or missing term (" + best + ")",
               scale.explained, scale.c, scale.spread);
}

}  // namespace

}  // namespace gradlab::check
