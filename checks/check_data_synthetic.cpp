// The seeded synthetic sets: report 001's disk and report 004's circles.
#include "gradlab/data/synthetic.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace gradlab;
using namespace gradlab::data;

TEST_CASE("disk: the radius 1/sqrt(2 pi) gives the disk half the unit square's area", "[data][disk]") {
  CHECK(disk_radius == Approx(0.3989422804014327).epsilon(1e-15));
  CHECK(std::numbers::pi * disk_radius * disk_radius == Approx(0.5).epsilon(1e-15));
  CHECK(disk_label(0.5, 0.5) == 1);
  CHECK(disk_label(0.0, 0.0) == 0);
  CHECK(disk_label(0.5, 0.5 + 0.398) == 1);
  CHECK(disk_label(0.5, 0.5 + 0.400) == 0);
  CHECK(disk_label(0.5 - 0.28, 0.5 - 0.28) == 1);  // distance 0.396
  CHECK(disk_label(0.5 + 0.29, 0.5 + 0.29) == 0);  // distance 0.410
}

TEST_CASE("disk: labels agree with the geometric definition, points lie in the unit square", "[data][disk]") {
  Rng rng(1);
  const Dataset disk = make_disk(5000, rng);
  REQUIRE(disk.X.n_rows == 2);
  REQUIRE(disk.X.n_cols == 5000);
  REQUIRE(disk.labels.n_elem == 5000);
  CHECK(disk.classes == 2);
  CHECK(disk.name == "disk");
  CHECK(disk.X.min() >= 0.0);
  CHECK(disk.X.max() < 1.0);
  arma::uword disagreements = 0;
  for (arma::uword i = 0; i < disk.size(); ++i) {
    const double distance = std::hypot(disk.X(0, i) - 0.5, disk.X(1, i) - 0.5);
    const arma::uword expected = distance < 1.0 / std::sqrt(2.0 * std::numbers::pi) ? 1 : 0;
    disagreements += disk.labels(i) != expected;
  }
  CHECK(disagreements == 0);
}

TEST_CASE("disk: the classes are balanced near 1/2 and the points spread over the square", "[data][disk]") {
  Rng rng(2);
  const Dataset disk = make_disk(20000, rng);
  // Standard deviation of the fraction: sqrt(0.25 / 20000) = 0.0035; 0.02 is over 5 of them.
  const double inside = static_cast<double>(arma::accu(disk.labels)) / 20000.0;
  CHECK(inside == Approx(0.5).margin(0.02));
  // Uniform in [0,1]^2: each quadrant holds about a quarter.
  arma::uword lower_left = 0;
  for (arma::uword i = 0; i < disk.size(); ++i) lower_left += disk.X(0, i) < 0.5 && disk.X(1, i) < 0.5;
  CHECK(static_cast<double>(lower_left) / 20000.0 == Approx(0.25).margin(0.02));
}

TEST_CASE("disk: the same seed gives the same points, another seed different ones", "[data][disk][seed]") {
  Rng a(5), b(5), c(6);
  const Dataset first = make_disk(100, a);
  const Dataset again = make_disk(100, b);
  const Dataset other = make_disk(100, c);
  CHECK(arma::approx_equal(first.X, again.X, "absdiff", 0.0));
  CHECK(arma::all(first.labels == again.labels));
  CHECK_FALSE(arma::approx_equal(first.X, other.X, "absdiff", 1e-12));
  CHECK_THROWS_AS(make_disk(0, a), std::invalid_argument);
}

TEST_CASE("circles: class 0 fills the inner disk, class 1 the outer ring, half each", "[data][circles]") {
  Rng rng(3);
  const Dataset circles = make_circles(1001, rng, 0.0);  // no noise: the exact shapes
  REQUIRE(circles.X.n_rows == 2);
  REQUIRE(circles.size() == 1001);
  CHECK(circles.classes == 2);
  CHECK(circles.name == "circles");
  const arma::rowvec r = arma::sqrt(arma::sum(arma::square(circles.X), 0));
  const arma::uvec inner = arma::find(circles.labels == 0);
  const arma::uvec outer = arma::find(circles.labels == 1);
  CHECK(inner.n_elem == 500);
  CHECK(outer.n_elem == 501);
  CHECK(r.elem(inner).max() <= circles_inner_radius);
  CHECK(r.elem(outer).min() >= circles_ring_inner);
  CHECK(r.elem(outer).max() <= circles_ring_outer);
  // Uniform in area: half of the inner disk's points lie within 0.8 / sqrt(2) of the centre.
  const double within = static_cast<double>(arma::accu(r.elem(inner) < 0.8 / std::sqrt(2.0))) / 500.0;
  CHECK(within == Approx(0.5).margin(0.08));
  // The classes are mixed in the order, not 500 zeros then 501 ones.
  CHECK(inner.max() > 500);
  // Every angle: points in all four quadrants for both classes.
  for (const arma::uvec* set : {&inner, &outer})
    for (int qx = 0; qx < 2; ++qx)
      for (int qy = 0; qy < 2; ++qy) {
        arma::uword count = 0;
        for (const arma::uword i : *set)
          count += (circles.X(0, i) >= 0) == (qx == 1) && (circles.X(1, i) >= 0) == (qy == 1);
        CHECK(count > 50);
      }
}

TEST_CASE("circles: the noise is Gaussian with the given standard deviation, added to the same points", "[data][circles]") {
  Rng a(4), b(4);
  const Dataset clean = make_circles(4000, a, 0.0);
  const Dataset noisy = make_circles(4000, b, 0.05);
  CHECK(arma::all(clean.labels == noisy.labels));
  const arma::mat noise = noisy.X - clean.X;
  CHECK(arma::stddev(arma::vectorise(noise)) == Approx(0.05).margin(0.003));
  CHECK(std::abs(arma::mean(arma::vectorise(noise))) < 0.005);
  // A little noise: the gap between the classes (0.8 to 1.2) stays clear.
  const arma::rowvec r = arma::sqrt(arma::sum(arma::square(noisy.X), 0));
  CHECK(r.elem(arma::find(noisy.labels == 0)).max() < 1.1);
  CHECK(r.elem(arma::find(noisy.labels == 1)).min() > 0.9);
  CHECK(arma::abs(noisy.X).max() < 2.0);  // within RDFIA's plotting grid [-2, 2]^2
}

TEST_CASE("circles: the same seed gives the same points, another seed different ones", "[data][circles][seed]") {
  Rng a(8), b(8), c(9);
  const Dataset first = make_circles(200, a);
  const Dataset again = make_circles(200, b);
  const Dataset other = make_circles(200, c);
  CHECK(arma::approx_equal(first.X, again.X, "absdiff", 0.0));
  CHECK(arma::all(first.labels == again.labels));
  CHECK_FALSE(arma::approx_equal(first.X, other.X, "absdiff", 1e-12));
  CHECK_THROWS_AS(make_circles(1, a), std::invalid_argument);
  CHECK_THROWS_AS(make_circles(10, a, -0.1), std::invalid_argument);
}
