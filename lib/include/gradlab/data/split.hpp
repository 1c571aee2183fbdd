#pragma once
// Seeded train / validation / test splits. The validation set comes out of the training file
// (shuffled with the generator), and the test set is the separate test file, untouched:
//   report 002: 50,000 train + 10,000 validation (the whole training file), 10,000 test;
//   report 000: 40,000 train + 10,000 validation (the other 10,000 are unused), 10,000 test.
#include "gradlab/data/dataset.hpp"
#include "gradlab/random.hpp"

namespace gradlab::data {

struct Splits {
  Dataset train;
  Dataset validation;
  Dataset test;
  arma::uvec train_indices;       // the columns of the pool that went to train, in order
  arma::uvec validation_indices;  // ... and to validation
};

// Draws one random permutation of the pool's columns from rng: its first n_train entries are
// the training set, the next n_validation the validation set (disjoint; together they cover the
// pool when n_train + n_validation == pool.size()). test is copied as it is. The same seed gives
// the same split. Throws std::invalid_argument if n_train is 0 or the sizes exceed the pool.
Splits split_train_validation_test(const Dataset& pool, const Dataset& test, arma::uword n_train,
                                   arma::uword n_validation, Rng& rng);

}  // namespace gradlab::data
