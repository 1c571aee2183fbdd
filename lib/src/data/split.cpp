#include "gradlab/data/split.hpp"

#include "gradlab/shape.hpp"

#include <string>

namespace gradlab::data {

Splits split_train_validation_test(const Dataset& pool, const Dataset& test, arma::uword n_train,
                                   arma::uword n_validation, Rng& rng) {
  require(n_train > 0 && n_train + n_validation <= pool.size(),
          "data::split_train_validation_test",
          "asked for " + std::to_string(n_train) + " training and " +
              std::to_string(n_validation) + " validation samples from " + pool.name +
              ", which has " + std::to_string(pool.size()) +
              " (need n_train > 0 and n_train + n_validation <= " +
              std::to_string(pool.size()) + ")");
  // One permutation, cut in two: the pieces cannot overlap.
  const arma::uvec order = random_permutation(pool.size(), rng);
  Splits splits;
  splits.train_indices = order.head(n_train);
  if (n_validation > 0) splits.validation_indices = order.subvec(n_train, n_train + n_validation - 1);
  splits.train = select(pool, splits.train_indices, pool.name + " / train");
  splits.validation = select(pool, splits.validation_indices, pool.name + " / validation");
  splits.test = test;
  return splits;
}

}  // namespace gradlab::data
