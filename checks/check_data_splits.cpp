// Data sets, seeded train / validation / test splits and subsets.
#include "gradlab/data/dataset.hpp"
#include "gradlab/data/split.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include "support.hpp"

using Catch::Matchers::Contains;
using namespace gradlab;
using namespace gradlab::data;

using namespace gradlab::checks;

namespace {

// n samples whose feature 0 is the sample's own index, so a copy can be traced to its source.
Dataset numbered(arma::uword n, const std::string& name = "pool") {
  Dataset data;
  data.X.set_size(3, n);
  for (arma::uword i = 0; i < n; ++i) {
    data.X(0, i) = static_cast<double>(i);
    data.X(1, i) = 0.5 * static_cast<double>(i);
    data.X(2, i) = -1.0;
  }
  data.labels.set_size(n);
  for (arma::uword i = 0; i < n; ++i) data.labels(i) = i % 10;
  data.classes = 10;
  data.name = name;
  return data;
}

// The source indices of a copy made from numbered().
arma::uvec origins(const Dataset& data) { return arma::conv_to<arma::uvec>::from(data.X.row(0).t()); }

}  // namespace

TEST_CASE("split: train and validation are disjoint and cover the pool (the 50k/10k split)", "[data][split]") {
  const Dataset pool = numbered(600);
  const Dataset test = numbered(100, "test file");
  Rng rng(42);
  const Splits s = split_train_validation_test(pool, test, 500, 100, rng);
  REQUIRE(s.train.size() == 500);
  REQUIRE(s.validation.size() == 100);
  // Each sample is where the index lists say it came from, with its own label.
  CHECK(arma::all(origins(s.train) == s.train_indices));
  CHECK(arma::all(origins(s.validation) == s.validation_indices));
  CHECK(arma::all(s.train.labels == s.train_indices - 10 * (s.train_indices / 10)));  // i mod 10
  // Together: every index of the pool exactly once.
  const arma::uvec all = arma::sort(arma::join_cols(s.train_indices, s.validation_indices));
  CHECK(arma::all(all == arma::regspace<arma::uvec>(0, 599)));
  // Shuffled, not the first 500 in order.
  CHECK_FALSE(arma::all(s.train_indices == arma::regspace<arma::uvec>(0, 499)));
  CHECK(s.train.classes == 10);
  CHECK(s.validation.X.n_rows == 3);
}

TEST_CASE("split: sizes below the pool leave the rest unused (the 40k/10k split)", "[data][split]") {
  const Dataset pool = numbered(600);
  Rng rng(7);
  const Splits s = split_train_validation_test(pool, numbered(10), 400, 100, rng);
  CHECK(s.train.size() == 400);
  CHECK(s.validation.size() == 100);
  const arma::uvec all = arma::join_cols(s.train_indices, s.validation_indices);
  CHECK(arma::unique(all).eval().n_elem == 500);  // disjoint
  CHECK(all.max() < 600);
}

TEST_CASE("split: the same seed gives the same split, another seed a different one", "[data][split][seed]") {
  const Dataset pool = numbered(300);
  Rng a(1), b(1), c(2);
  const Splits first = split_train_validation_test(pool, pool, 200, 100, a);
  const Splits again = split_train_validation_test(pool, pool, 200, 100, b);
  const Splits other = split_train_validation_test(pool, pool, 200, 100, c);
  CHECK(arma::all(first.train_indices == again.train_indices));
  CHECK(arma::all(first.validation_indices == again.validation_indices));
  CHECK(arma::approx_equal(first.train.X, again.train.X, "absdiff", 0.0));
  CHECK_FALSE(arma::all(first.train_indices == other.train_indices));
}

TEST_CASE("split: the test set is the test file, untouched", "[data][split]") {
  const Dataset pool = numbered(50);
  const Dataset test = numbered(20, "mnist test");
  Rng rng(3);
  const Splits s = split_train_validation_test(pool, test, 40, 10, rng);
  CHECK(s.test.name == "mnist test");
  CHECK(arma::approx_equal(s.test.X, test.X, "absdiff", 0.0));
  CHECK(arma::all(s.test.labels == test.labels));
}

TEST_CASE("split: impossible sizes are rejected", "[data][split][errors]") {
  const Dataset pool = numbered(50);
  Rng rng(3);
  CHECK_THAT(error_of([&] { split_train_validation_test(pool, pool, 45, 10, rng); }),
             Contains("split_train_validation_test") && Contains("45") && Contains("50"));
  CHECK_THROWS_AS(split_train_validation_test(pool, pool, 0, 10, rng), std::invalid_argument);
  const Splits no_validation = split_train_validation_test(pool, pool, 50, 0, rng);
  CHECK(no_validation.train.size() == 50);
  CHECK(no_validation.validation.size() == 0);
}

TEST_CASE("subset: the first n samples, for quick modes", "[data][split][subset]") {
  const Dataset pool = numbered(100);
  const Dataset small = subset(pool, 15);
  CHECK(small.size() == 15);
  CHECK(arma::all(origins(small) == arma::regspace<arma::uvec>(0, 14)));
  CHECK(arma::all(small.labels == pool.labels.head(15)));
  CHECK(small.classes == pool.classes);
  CHECK_THAT(small.name, Contains("pool"));
  CHECK(subset(pool, 100).size() == 100);
  CHECK_THROWS_AS(subset(pool, 101), std::invalid_argument);
  CHECK_THROWS_AS(subset(pool, 0), std::invalid_argument);
}

TEST_CASE("select: the samples at given indices, in that order", "[data][split]") {
  const Dataset pool = numbered(10);
  const arma::uvec picks = {7, 2, 2, 9};
  const Dataset picked = select(pool, picks, "picked");
  CHECK(arma::all(origins(picked) == picks));
  CHECK(picked.name == "picked");
  CHECK_THAT(error_of([&] { select(pool, arma::uvec{3, 10}, "x"); }), Contains("index 10"));
}

TEST_CASE("dataset: check_dataset rejects NaN or Inf features, a label count mismatch, labels out of range", "[data][dataset][errors]") {
  Dataset data = numbered(5, "checked");
  CHECK_NOTHROW(check_dataset(data, "test"));
  Dataset nan = data;
  nan.X(1, 3) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THAT(error_of([&] { check_dataset(nan, "test"); }),
             Contains("checked") && Contains("NaN") && Contains("sample 3"));
  Dataset inf = data;
  inf.X(2, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(check_dataset(inf, "test"), std::invalid_argument);
  Dataset short_labels = data;
  short_labels.labels = short_labels.labels.head(4);
  CHECK_THAT(error_of([&] { check_dataset(short_labels, "test"); }), Contains("4 labels"));
  Dataset bad_label = data;
  bad_label.labels(1) = 10;
  CHECK_THAT(error_of([&] { check_dataset(bad_label, "test"); }), Contains("label 10"));
}

TEST_CASE("dataset: class_counts counts each class", "[data][dataset]") {
  const arma::uvec counts = class_counts(numbered(25));
  REQUIRE(counts.n_elem == 10);
  CHECK(counts(0) == 3);  // 0, 10, 20
  CHECK(counts(4) == 3);
  CHECK(counts(5) == 2);
  CHECK(arma::accu(counts) == 25);
}
