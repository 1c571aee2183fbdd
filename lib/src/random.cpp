#include "gradlab/random.hpp"

#include <cmath>
#include <numbers>
#include <utility>

namespace gradlab {

double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

arma::mat random_uniform(arma::uword rows, arma::uword cols, Rng& rng, double low, double high) {
  arma::mat A(rows, cols);
  for (double& a : A) a = low + (high - low) * uniform01(rng);
  return A;
}

arma::mat random_normal(arma::uword rows, arma::uword cols, Rng& rng) {
  arma::mat A(rows, cols);
  for (arma::uword i = 0; i < A.n_elem; i += 2) {
    const double u1 = 1.0 - uniform01(rng);  // in (0, 1]: log(u1) is finite
    const double u2 = uniform01(rng);
    const double r = std::sqrt(-2.0 * std::log(u1));
    A(i) = r * std::cos(2.0 * std::numbers::pi * u2);
    if (i + 1 < A.n_elem) A(i + 1) = r * std::sin(2.0 * std::numbers::pi * u2);
  }
  return A;
}

arma::uvec random_permutation(arma::uword n, Rng& rng) {
  arma::uvec p = arma::regspace<arma::uvec>(0, n == 0 ? 0 : n - 1);
  if (n == 0) return arma::uvec();
  for (arma::uword i = n - 1; i > 0; --i) {
    const arma::uword j = static_cast<arma::uword>(uniform01(rng) * static_cast<double>(i + 1));
    std::swap(p(i), p(j));
  }
  return p;
}

}  // namespace gradlab
