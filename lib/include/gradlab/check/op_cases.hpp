#pragma once
// The catalogue of every op in gradlab::ops as functions the checker can run, at the shapes the
// tour and the tests use. One place, so `gradcheck` and checks/ check the very same things.
#include "gradlab/check/checker.hpp"
#include "gradlab/ops/image.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::check {

struct OpCase {
  std::string op;      // e.g. "affine"
  std::string shape;   // e.g. "W 4x7, b 4, X 7x3"
  std::string kind;    // "batch 1", "non-square", "batch 64", "large magnitude", or "batch N"
  bool small = false;  // small enough for the full Jacobian check
  Differentiable fn;
  // The image ops (conv2d, max_pool2d, avg_pool2d): the shape of each image of X and the window,
  // which the autograd witness needs to rebuild the op. Unused by the other ops.
  ops::ImageShape image{};
  ops::Conv2dOptions conv{};
  ops::Pool2dOptions pool{};
};

// The names of every op, in the order of the tour.
const std::vector<std::string>& op_names();

// The checkable functions of one op. batch = 0: the standard set (batch 1, non-square,
// batch 64, large magnitude); batch > 0: one case at that batch size. The image ops read these
// kinds as geometries (non-square: a non-square image and window with stride 2), at sizes that
// keep the element-by-element checks quick. Inputs are drawn from a
// generator seeded with `seed`. Throws std::invalid_argument for an unknown op.
std::vector<OpCase> op_cases(const std::string& op, arma::uword batch = 0, std::uint64_t seed = 1);

}  // namespace gradlab::check
