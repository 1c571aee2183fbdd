// Mini-batches: every sample once per epoch, a new order each epoch, sizes from 1 to N.
#include "gradlab/data/batches.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace gradlab;
using namespace gradlab::data;

namespace {

// n samples whose feature 0 is the sample's own index.
Dataset numbered(arma::uword n) {
  Dataset data;
  data.X.set_size(2, n);
  for (arma::uword i = 0; i < n; ++i) {
    data.X(0, i) = static_cast<double>(i);
    data.X(1, i) = 100.0 + static_cast<double>(i);
  }
  data.labels.set_size(n);
  for (arma::uword i = 0; i < n; ++i) data.labels(i) = i % 3;
  data.classes = 3;
  data.name = "numbered";
  return data;
}

// One epoch of batches, as the index sequence handed out.
std::vector<arma::uvec> one_epoch(Batches& batches) {
  std::vector<arma::uvec> epoch;
  Batch batch;
  while (batches.next(batch)) epoch.push_back(batch.indices);
  return epoch;
}

// 0, 1, ..., n-1.
arma::uvec zero_to(arma::uword n) {
  arma::uvec all(n);
  for (arma::uword i = 0; i < n; ++i) all(i) = i;
  return all;
}

// True when indices holds each of 0 .. n-1 exactly once.
bool each_once(const arma::uvec& indices, arma::uword n) {
  std::vector<int> seen(n, 0);
  for (const arma::uword i : indices) {
    if (i >= n) return false;
    ++seen[i];
  }
  return indices.n_elem == n && std::all_of(seen.begin(), seen.end(), [](int k) { return k == 1; });
}

arma::uvec concatenated(const std::vector<arma::uvec>& epoch) {
  arma::uvec all;
  for (const arma::uvec& b : epoch) all = arma::join_cols(all, b);
  return all;
}

}  // namespace

TEST_CASE("batches: every sample exactly once per epoch, for batch sizes 1 to N", "[data][batches]") {
  const arma::uword n = 23;
  const Dataset data = numbered(n);
  for (const arma::uword size : {arma::uword{1}, arma::uword{4}, arma::uword{7}, arma::uword{22}, n}) {
    Rng rng(size);
    Batches batches(data, size, rng);
    for (int epoch = 0; epoch < 3; ++epoch) {
      const std::vector<arma::uvec> batches_seen = one_epoch(batches);
      INFO("batch size " << size << ", epoch " << epoch);
      CHECK(batches_seen.size() == (n + size - 1) / size);
      CHECK(batches_seen.size() == batches.batches_per_epoch());
      for (std::size_t k = 0; k + 1 < batches_seen.size(); ++k) CHECK(batches_seen[k].n_elem == size);
      CHECK(batches_seen.back().n_elem == n - size * (batches_seen.size() - 1));  // what is left
      CHECK(each_once(concatenated(batches_seen), n));
    }
  }
}

TEST_CASE("batches: each epoch draws a new order, and the same seed repeats the sequence", "[data][batches][seed]") {
  const Dataset data = numbered(50);
  Rng rng(1), same(1), other(2);
  Batches batches(data, 8, rng), again(data, 8, same), different(data, 8, other);
  const arma::uvec epoch1 = concatenated(one_epoch(batches));
  const arma::uvec epoch2 = concatenated(one_epoch(batches));
  CHECK_FALSE(arma::all(epoch1 == epoch2));                            // reshuffled
  CHECK_FALSE(arma::all(epoch1 == zero_to(50)));  // shuffled at all
  CHECK(arma::all(concatenated(one_epoch(again)) == epoch1));          // reproducible
  CHECK(arma::all(concatenated(one_epoch(again)) == epoch2));
  CHECK_FALSE(arma::all(concatenated(one_epoch(different)) == epoch1));
}

TEST_CASE("batches: a batch holds the data set's columns and labels, features x B", "[data][batches]") {
  const Dataset data = numbered(30);
  Rng rng(3);
  Batches batches(data, 7, rng);
  Batch batch;
  int count = 0;
  while (batches.next(batch)) {
    ++count;
    REQUIRE(batch.X.n_rows == 2);
    REQUIRE(batch.X.n_cols == batch.indices.n_elem);
    REQUIRE(batch.labels.n_elem == batch.indices.n_elem);
    CHECK(arma::approx_equal(batch.X, data.X.cols(batch.indices), "absdiff", 0.0));
    CHECK(arma::all(batch.labels == data.labels.elem(batch.indices)));
    CHECK(arma::all(batch.X.row(0).t() == arma::conv_to<arma::vec>::from(batch.indices)));
  }
  CHECK(count == 5);
}

TEST_CASE("batches: full batch is one batch of N, and without shuffling the order is 0..N-1", "[data][batches]") {
  const Dataset data = numbered(12);
  Rng rng(4);
  Batches full(data, 12, rng);
  const std::vector<arma::uvec> epoch = one_epoch(full);
  REQUIRE(epoch.size() == 1);
  CHECK(epoch[0].n_elem == 12);

  Rng untouched(4);
  const auto state_before = untouched();
  Rng eval_rng(4);
  Batches in_order(data, 5, eval_rng, false);
  CHECK(arma::all(concatenated(one_epoch(in_order)) == zero_to(12)));
  CHECK(eval_rng() == state_before);  // the generator was not used
}

TEST_CASE("batches: restart abandons the epoch and starts a new one", "[data][batches]") {
  const Dataset data = numbered(10);
  Rng rng(5);
  Batches batches(data, 3, rng);
  Batch batch;
  REQUIRE(batches.next(batch));
  batches.restart();
  const std::vector<arma::uvec> epoch = one_epoch(batches);
  CHECK(epoch.size() == 4);  // a whole epoch, not the 3 batches that were left
  CHECK(each_once(concatenated(epoch), 10));
}

TEST_CASE("batches: a batch size of 0 or above N, or an empty data set, is rejected", "[data][batches][errors]") {
  const Dataset data = numbered(10);
  Rng rng(6);
  CHECK_THROWS_AS(Batches(data, 0, rng), std::invalid_argument);
  CHECK_THROWS_AS(Batches(data, 11, rng), std::invalid_argument);
  const Dataset empty;
  CHECK_THROWS_AS(Batches(empty, 1, rng), std::invalid_argument);
  CHECK_THROWS_AS(epoch_batches(0, 1, rng), std::invalid_argument);
}

TEST_CASE("batches: epoch_batches cuts one permutation into consecutive pieces", "[data][batches]") {
  Rng rng(7), same(7);
  const std::vector<arma::uvec> pieces = epoch_batches(10, 4, rng);
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[0].n_elem == 4);
  CHECK(pieces[1].n_elem == 4);
  CHECK(pieces[2].n_elem == 2);
  CHECK(arma::all(concatenated(pieces) == random_permutation(10, same)));
}
