// The layers' state across calls: BatchNorm's running statistics and eval mode, Dropout's
// masks (reused by backward, fresh per forward, frozen for checks) and eval identity.
#include <catch2/catch.hpp>

#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/dropout.hpp"
#include "gradlab/random.hpp"

#include <cmath>

namespace {

using namespace gradlab;

bool same(const arma::mat& A, const arma::mat& B) {
  return arma::size(A) == arma::size(B) && arma::approx_equal(A, B, "absdiff", 0.0);
}

}  // namespace

TEST_CASE("BatchNorm: running statistics follow PyTorch's rule, unbiased variance, worked "
          "example",
          "[nn][batchnorm]") {
  // One feature, the batch {1, 2, 3, 4}: mean 2.5, biased variance 5/4, unbiased 5/3.
  nn::BatchNorm bn(1);  // momentum 0.1, running mean 0 and variance 1 to start
  REQUIRE(bn.running_mean(0) == 0.0);
  REQUIRE(bn.running_var(0) == 1.0);
  const arma::mat X{{1.0, 2.0, 3.0, 4.0}};
  const arma::mat Y = bn.forward(X);
  // running_mean = 0.9 * 0 + 0.1 * 2.5 = 0.25
  REQUIRE(bn.running_mean(0) == Approx(0.25).epsilon(1e-15));
  // running_var = 0.9 * 1 + 0.1 * 5/3 = 1.0666...   (the biased 5/4 would give 1.025)
  REQUIRE(bn.running_var(0) == Approx(0.9 + 0.1 * 5.0 / 3.0).epsilon(1e-15));
  // The output itself is normalised with the biased variance: (x - 2.5) / sqrt(5/4 + eps)
  for (arma::uword b = 0; b < 4; ++b)
    REQUIRE(Y(0, b) == Approx((X(0, b) - 2.5) / std::sqrt(1.25 + 1e-5)).epsilon(1e-14));

  // A second batch {0, 0, 6}: mean 2, unbiased variance (4 + 4 + 16) / 2 = 12.
  bn.forward(arma::mat{{0.0, 0.0, 6.0}});
  REQUIRE(bn.running_mean(0) == Approx(0.9 * 0.25 + 0.1 * 2.0).epsilon(1e-15));
  REQUIRE(bn.running_var(0) == Approx(0.9 * (0.9 + 0.1 * 5.0 / 3.0) + 0.1 * 12.0).epsilon(1e-15));

  // Another momentum: the weight of the new batch.
  nn::BatchNorm half(1, 0.5);
  half.forward(X);
  REQUIRE(half.running_mean(0) == Approx(0.5 * 2.5).epsilon(1e-15));
  REQUIRE(half.running_var(0) == Approx(0.5 + 0.5 * 5.0 / 3.0).epsilon(1e-15));
}

TEST_CASE("BatchNorm: running statistics per feature, on random batches", "[nn][batchnorm]") {
  Rng rng(51);
  nn::BatchNorm bn(4, 0.2);
  arma::vec mean(4, arma::fill::zeros), var(4, arma::fill::ones);
  for (int step = 0; step < 3; ++step) {
    const arma::mat X = 3.0 * random_normal(4, 6, rng);
    bn.forward(X);
    // The same rule, written with Armadillo's var(X, 0, 1): normalised by N - 1, per row.
    mean = 0.8 * mean + 0.2 * arma::mean(X, 1);
    var = 0.8 * var + 0.2 * arma::var(X, 0, 1);
    REQUIRE(arma::abs(bn.running_mean - mean).max() < 1e-14);
    REQUIRE(arma::abs(bn.running_var - var).max() < 1e-13);
  }
}

TEST_CASE("BatchNorm: running statistics approach the population mean and variance",
          "[nn][batchnorm]") {
  // 300 batches of 64 samples of N(3, 2^2) per feature. With momentum m the running mean is an
  // exponential average of batch means: its variance is m / (2 - m) * sigma^2 / B = 0.0033
  // (sd 0.057); the running variance's is m / (2 - m) * 2 sigma^4 / (B - 1) = 0.027 (sd 0.16).
  // Tolerances of 5 sd: 0.3 and 0.8.
  Rng rng(52);
  nn::BatchNorm bn(3);
  for (int step = 0; step < 300; ++step) bn.forward(3.0 + 2.0 * random_normal(3, 64, rng));
  for (arma::uword d = 0; d < 3; ++d) {
    REQUIRE(std::abs(bn.running_mean(d) - 3.0) < 0.3);
    REQUIRE(std::abs(bn.running_var(d) - 4.0) < 0.8);
  }
}

TEST_CASE("BatchNorm eval mode: uses the running statistics, leaves them alone, and treats "
          "each sample on its own",
          "[nn][batchnorm]") {
  Rng rng(53);
  nn::BatchNorm bn(3);
  bn.gamma = arma::vec{1.5, 0.5, 2.0};
  bn.beta = arma::vec{0.1, -0.2, 0.3};
  bn.running_mean = arma::vec{1.0, -2.0, 0.5};
  bn.running_var = arma::vec{4.0, 0.25, 1.0};
  bn.set_mode(nn::Mode::eval);
  const arma::mat X = random_normal(3, 5, rng);
  const arma::mat Y = bn.forward(X);
  for (arma::uword d = 0; d < 3; ++d)
    for (arma::uword b = 0; b < 5; ++b) {
      const double expected = bn.gamma(d) * (X(d, b) - bn.running_mean(d)) /
                                  std::sqrt(bn.running_var(d) + 1e-5) +
                              bn.beta(d);
      REQUIRE(Y(d, b) == Approx(expected).epsilon(1e-14));
    }
  REQUIRE(same(bn.running_mean, arma::vec{1.0, -2.0, 0.5}));
  REQUIRE(same(bn.running_var, arma::vec{4.0, 0.25, 1.0}));
  // One sample alone gives the same column as within the batch (and B = 1 is allowed).
  REQUIRE(arma::abs(bn.forward(X.col(2)) - Y.col(2)).max() < 1e-15);

  // Train mode on the same X normalises by the batch instead: each row has mean beta.
  bn.set_mode(nn::Mode::train);
  const arma::mat Y_train = bn.forward(X);
  REQUIRE(arma::abs(arma::mean(Y_train, 1) - bn.beta).max() < 1e-12);
  REQUIRE(arma::abs(Y_train - Y).max() > 0.1);
}

TEST_CASE("Dropout: backward reuses the last forward's mask, dX = dY ⊙ mask",
          "[nn][dropout]") {
  Rng rng(54);
  nn::Dropout dropout(0.4, 99);
  const arma::mat X = random_normal(10, 20, rng);
  const arma::mat Y1 = dropout.forward(X);
  const arma::mat mask1 = dropout.mask();
  REQUIRE(same(Y1, X % mask1));
  const arma::mat dY = random_normal(10, 20, rng);
  REQUIRE(same(dropout.backward(dY), dY % mask1));
  REQUIRE(same(dropout.backward(dY), dY % mask1));  // again: the same mask, nothing redrawn

  // A second forward draws a fresh mask, and backward follows it.
  dropout.forward(X);
  const arma::mat mask2 = dropout.mask();
  REQUIRE_FALSE(same(mask2, mask1));
  REQUIRE(same(dropout.backward(dY), dY % mask2));
}

TEST_CASE("Dropout: drops a fraction p, scales the kept units by 1 / (1 - p)", "[nn][dropout]") {
  // 10^4 Bernoulli draws with p = 0.3: the dropped fraction has sd sqrt(p (1 - p) / n) = 0.0046;
  // 5 sd = 0.023.
  nn::Dropout dropout(0.3, 5);
  const arma::mat Y = dropout.forward(arma::mat(100, 100, arma::fill::ones));
  const double dropped = static_cast<double>(arma::accu(Y == 0.0)) / 1e4;
  REQUIRE(std::abs(dropped - 0.3) < 0.023);
  REQUIRE(arma::all(arma::vectorise((Y == 0.0) + (arma::abs(Y - 1.0 / (1.0 - 0.3)) < 1e-12)) == 1));

  nn::Dropout none(0.0, 5);
  const arma::mat X{{1.0, -2.0}, {3.0, 4.0}};
  REQUIRE(same(none.forward(X), X));
}

TEST_CASE("Dropout: the same seed gives the same masks, another seed other masks",
          "[nn][dropout]") {
  const arma::mat X(8, 8, arma::fill::ones);
  nn::Dropout a(0.5, 1234), b(0.5, 1234), c(0.5, 4321);
  for (int i = 0; i < 3; ++i) {
    const arma::mat Ya = a.forward(X), Yb = b.forward(X), Yc = c.forward(X);
    REQUIRE(same(Ya, Yb));
    REQUIRE_FALSE(same(Ya, Yc));
  }
}

TEST_CASE("Dropout: a frozen mask is the same on every forward, and unfreezing continues the "
          "generator from where it was frozen",
          "[nn][dropout]") {
  Rng rng(55);
  const arma::mat X = random_normal(6, 9, rng);
  nn::Dropout dropout(0.5, 77);
  nn::Dropout twin(0.5, 77);  // the same seed, never frozen
  dropout.forward(X);
  twin.forward(X);

  dropout.set_frozen_mask(true);
  REQUIRE(dropout.frozen_mask());
  const arma::mat Y1 = dropout.forward(X);
  const arma::mat Y2 = dropout.forward(X);
  const arma::mat Y3 = dropout.forward(2.0 * X);
  REQUIRE(same(Y1, Y2));
  REQUIRE(same(Y3, 2.0 * Y1));  // the same mask on another input

  dropout.set_frozen_mask(false);
  REQUIRE_FALSE(dropout.frozen_mask());
  // The generator did not move while frozen: the next fresh mask is the frozen one, and the
  // stream continues as for the twin that was never frozen.
  REQUIRE(same(dropout.forward(X), Y1));
  REQUIRE(same(twin.forward(X), Y1));
  REQUIRE(same(dropout.forward(X), twin.forward(X)));
  REQUIRE_FALSE(same(dropout.forward(X), dropout.forward(X)));
}

TEST_CASE("Dropout eval mode: the identity, forward and backward", "[nn][dropout]") {
  Rng rng(56);
  nn::Dropout dropout(0.5, 3);
  const arma::mat X = random_normal(5, 7, rng);
  dropout.forward(X);  // a train-mode mask exists
  dropout.set_mode(nn::Mode::eval);
  REQUIRE(same(dropout.forward(X), X));
  const arma::mat dY = random_normal(5, 7, rng);
  REQUIRE(same(dropout.backward(dY), dY));
  // Back in train mode, it drops again.
  dropout.set_mode(nn::Mode::train);
  REQUIRE(arma::any(arma::vectorise(dropout.forward(X) == 0.0)));
}
