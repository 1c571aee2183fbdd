#pragma once
// Seeded two-dimensional data sets for the small reports. Features are the 2 coordinates
// (X is 2 x n), 2 classes.
//
// Disk (report 001): n points uniform in the unit square [0,1]^2; label 1 when the point lies
// inside the disk of centre (0.5, 0.5) and radius 1/sqrt(2 pi), else 0. That disk has area 1/2
// (and fits in the square), so the classes are balanced on average.
//
// Circles (report 004, after the "circles" set of the RDFIA practicals: an inner disk against
// an outer ring, points in about [-2,2]^2). Exactly n/2 points (rounded down) of class 0 and the
// rest of class 1, in a random order:
//   class 0, inner disk:  radius r uniform in area on [0, 0.8],   r = 0.8 sqrt(u)
//   class 1, outer ring:  radius r uniform in area on [1.2, 1.8], r = sqrt(1.2^2 + u (1.8^2 - 1.2^2))
//   angle uniform in [0, 2 pi), then Gaussian noise of standard deviation `noise` (default 0.05)
//   added to each coordinate.
// The classes are separated by a gap of 0.4 in radius, so a small network separates them, but
// not a linear model.
#include "gradlab/data/dataset.hpp"
#include "gradlab/random.hpp"

#include <cmath>
#include <numbers>

namespace gradlab::data {

inline const double disk_radius = 1.0 / std::sqrt(2.0 * std::numbers::pi);

// The disk's labelling rule: 1 inside (distance to (0.5, 0.5) below disk_radius), else 0.
arma::uword disk_label(double x1, double x2);

// n points of the disk set ("disk"). Throws std::invalid_argument if n is 0.
Dataset make_disk(arma::uword n, Rng& rng);

inline constexpr double circles_inner_radius = 0.8;  // class 0: r in [0, 0.8]
inline constexpr double circles_ring_inner = 1.2;    // class 1: r in [1.2, 1.8]
inline constexpr double circles_ring_outer = 1.8;
inline constexpr double circles_default_noise = 0.05;

// n points of the circles set ("circles"). Throws std::invalid_argument if n < 2 or noise < 0.
Dataset make_circles(arma::uword n, Rng& rng, double noise = circles_default_noise);

}  // namespace gradlab::data
