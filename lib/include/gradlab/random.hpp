#pragma once
// Seeded random numbers. Every random choice in gradlab draws from a std::mt19937_64 passed in,
// so the same seed gives the same numbers; the transforms below are written out (not
// std::*_distribution, whose output differs between standard libraries).
#include <armadillo>
#include <cstdint>
#include <random>

namespace gradlab {

using Rng = std::mt19937_64;

// Uniform in [0, 1) from the generator's top 53 bits.
double uniform01(Rng& rng);

// rows x cols, each entry uniform in [low, high).
arma::mat random_uniform(arma::uword rows, arma::uword cols, Rng& rng, double low = 0.0,
                         double high = 1.0);

// rows x cols, each entry standard normal (Box-Muller).
arma::mat random_normal(arma::uword rows, arma::uword cols, Rng& rng);

// A uniformly random permutation of 0 .. n-1 (Fisher-Yates).
arma::uvec random_permutation(arma::uword n, Rng& rng);

}  // namespace gradlab
