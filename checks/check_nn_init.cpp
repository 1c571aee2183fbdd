// The weight initialisers: bounds, means and variances against theory (with tolerances from the
// sample size), fan-in and fan-out read from W's shape (out x in), and reproducibility by seed.
#include <catch2/catch.hpp>

#include "gradlab/nn/batchnorm.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/nn/linear.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/random.hpp"

#include <cmath>

namespace {

using namespace gradlab;

// Sample mean and variance (1/n: n is large) of every entry.
double mean_of(const arma::mat& W) { return arma::mean(arma::vectorise(W)); }
double variance_of(const arma::mat& W) {
  const double m = mean_of(W);
  return arma::mean(arma::square(arma::vectorise(W) - m));
}

}  // namespace

TEST_CASE("glorot_uniform: W ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out)), "
          "Var = 2 / (fan_in + fan_out)",
          "[nn][init]") {
  Rng rng(61);
  arma::mat W(200, 300);  // fan_out = 200 rows, fan_in = 300 columns
  nn::glorot_uniform(W, rng);
  const double n = static_cast<double>(W.n_elem);  // 60000
  const double a = std::sqrt(6.0 / 500.0);
  // Bounds: every entry in [-a, a), and the extremes reached: P(max < 0.99 a) = 0.995^60000.
  REQUIRE(W.min() >= -a);
  REQUIRE(W.max() < a);
  REQUIRE(W.max() > 0.99 * a);
  REQUIRE(W.min() < -0.99 * a);
  // Mean 0 with sd sigma / sqrt(n); sigma^2 = a^2 / 3.
  const double sigma2 = a * a / 3.0;
  REQUIRE(std::abs(mean_of(W)) < 5.0 * std::sqrt(sigma2 / n));
  // Sample variance of a uniform: relative sd sqrt(0.8 / n) = 0.37% (fourth moment a^4 / 5);
  // 5 sd = 1.8%. Swapping fan-in for something else (e.g. 2 / fan_in) would be 67% off.
  REQUIRE(sigma2 == Approx(2.0 / 500.0).epsilon(1e-12));
  REQUIRE(std::abs(variance_of(W) / sigma2 - 1.0) < 5.0 * std::sqrt(0.8 / n));
}

TEST_CASE("he_normal: W ~ N(0, 2 / fan_in), fan_in = W's columns", "[nn][init]") {
  Rng rng(62);
  arma::mat W(256, 512);  // fan_in = 512; fan_out would give 2/256, twice the variance
  nn::he_normal(W, rng);
  const double n = static_cast<double>(W.n_elem);  // 131072
  const double sigma2 = 2.0 / 512.0;
  REQUIRE(std::abs(mean_of(W)) < 5.0 * std::sqrt(sigma2 / n));
  // Sample variance of a normal: relative sd sqrt(2 / n) = 0.39%; 5 sd = 2%.
  REQUIRE(std::abs(variance_of(W) / sigma2 - 1.0) < 5.0 * std::sqrt(2.0 / n));
  // Normal, not uniform: about 4.55% of the entries lie beyond 2 sigma (sd 0.06% here).
  const double beyond = static_cast<double>(arma::accu(arma::abs(W) > 2.0 * std::sqrt(sigma2))) / n;
  REQUIRE(std::abs(beyond - 0.0455) < 5.0 * std::sqrt(0.0455 * 0.9545 / n));
}

TEST_CASE("standard_normal: W ~ N(0, 1) whatever the shape", "[nn][init]") {
  Rng rng(63);
  arma::mat W(300, 200);
  nn::standard_normal(W, rng);
  const double n = static_cast<double>(W.n_elem);  // 60000
  REQUIRE(std::abs(mean_of(W)) < 5.0 / std::sqrt(n));
  REQUIRE(std::abs(variance_of(W) - 1.0) < 5.0 * std::sqrt(2.0 / n));  // 5 sd = 2.9%
}

TEST_CASE("initialisers: the same seed gives the same weights, another seed others",
          "[nn][init]") {
  for (const std::string& init : nn::init_names()) {
    Rng r1(7), r2(7), r3(8);
    nn::Linear a(30, 20), b(30, 20), c(30, 20);
    nn::initialise(a, init, r1);
    nn::initialise(b, init, r2);
    nn::initialise(c, init, r3);
    INFO(init);
    REQUIRE(arma::approx_equal(a.W, b.W, "absdiff", 0.0));
    REQUIRE_FALSE(arma::approx_equal(a.W, c.W, "absdiff", 0.0));
  }
  // Whole networks too, Dropout seeds included.
  Rng r1(9), r2(9);
  nn::Sequential n1 = nn::make_mlp({6, 5, 4, 3}, "relu", true, 0.5, "he_normal", r1);
  nn::Sequential n2 = nn::make_mlp({6, 5, 4, 3}, "relu", true, 0.5, "he_normal", r2);
  const std::vector<gradlab::Parameter> p1 = n1.parameters(), p2 = n2.parameters();
  for (std::size_t i = 0; i < p1.size(); ++i)
    REQUIRE(arma::approx_equal(*p1[i].value, *p2[i].value, "absdiff", 0.0));
  const arma::mat X = arma::ones(6, 10);
  REQUIRE(arma::approx_equal(n1.forward(X), n2.forward(X), "absdiff", 0.0));
}

TEST_CASE("initialise: every Linear in layer order, biases zero, other layers untouched",
          "[nn][init]") {
  Rng rng(64);
  nn::Sequential net;
  net.add(std::make_unique<nn::Linear>(4, 3));
  net.add(std::make_unique<nn::BatchNorm>(3));
  net.add(std::make_unique<nn::Linear>(3, 2));
  for (gradlab::Parameter& p : net.parameters()) p.value->fill(5.0);
  nn::initialise(net, "glorot_uniform", rng);

  // The draws go layer by layer: the same generator, by hand, gives the same weights.
  Rng by_hand(64);
  arma::mat W0(3, 4), W2(2, 3);
  nn::glorot_uniform(W0, by_hand);
  nn::glorot_uniform(W2, by_hand);
  const auto& first = dynamic_cast<const nn::Linear&>(net.layer(0));
  const auto& last = dynamic_cast<const nn::Linear&>(net.layer(2));
  REQUIRE(arma::approx_equal(first.W, W0, "absdiff", 0.0));
  REQUIRE(arma::approx_equal(last.W, W2, "absdiff", 0.0));
  REQUIRE(arma::all(first.b == 0.0));
  REQUIRE(arma::all(last.b == 0.0));
  const auto& bn = dynamic_cast<const nn::BatchNorm&>(net.layer(1));
  REQUIRE(arma::all(bn.gamma == 5.0));
  REQUIRE(arma::all(bn.beta == 5.0));
  REQUIRE_THROWS_AS(nn::initialise(net, "xavier", rng), std::invalid_argument);
}
