#include "gradlab/data/synthetic.hpp"

#include "gradlab/shape.hpp"

#include <string>

namespace gradlab::data {

arma::uword disk_label(double x1, double x2) {
  const double d1 = x1 - 0.5, d2 = x2 - 0.5;
  return d1 * d1 + d2 * d2 < disk_radius * disk_radius ? 1 : 0;
}

Dataset make_disk(arma::uword n, Rng& rng) {
  require(n > 0, "data::make_disk", "n is 0 (need at least one point)");
  Dataset data;
  data.X = random_uniform(2, n, rng);  // uniform in [0, 1)^2, one point per column
  data.labels.set_size(n);
  for (arma::uword i = 0; i < n; ++i) data.labels(i) = disk_label(data.X(0, i), data.X(1, i));
  data.classes = 2;
  data.name = "disk";
  return data;
}

Dataset make_circles(arma::uword n, Rng& rng, double noise) {
  require(n >= 2, "data::make_circles", "n is " + std::to_string(n) + " (need at least 2 points)");
  require(noise >= 0.0 && std::isfinite(noise), "data::make_circles",
          "noise is " + std::to_string(noise) + " (need a finite value >= 0)");
  constexpr double two_pi = 2.0 * std::numbers::pi;
  constexpr double ring_inner2 = circles_ring_inner * circles_ring_inner;
  constexpr double ring_outer2 = circles_ring_outer * circles_ring_outer;
  // The first n/2 slots are class 0, the rest class 1; a random permutation mixes them.
  const arma::uvec order = random_permutation(n, rng);
  Dataset data;
  data.X.set_size(2, n);
  data.labels.set_size(n);
  for (arma::uword k = 0; k < n; ++k) {
    const arma::uword i = order(k);
    const arma::uword label = k < n / 2 ? 0 : 1;
    const double u = uniform01(rng);
    // sqrt makes the points uniform in area, not crowded at the centre.
    const double r = label == 0 ? circles_inner_radius * std::sqrt(u)
                                : std::sqrt(ring_inner2 + u * (ring_outer2 - ring_inner2));
    const double angle = two_pi * uniform01(rng);
    data.X(0, i) = r * std::cos(angle);
    data.X(1, i) = r * std::sin(angle);
    data.labels(i) = label;
  }
  data.X += noise * random_normal(2, n, rng);
  data.classes = 2;
  data.name = "circles";
  return data;
}

}  // namespace gradlab::data
