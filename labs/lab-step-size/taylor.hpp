#pragma once
// lab-step-size's Taylor test subjects: a tanh layer and a batch norm layer, each with its right
// backward and a wrong one (tanh' = 1 - Y; batch norm's dX without the mean and variance terms).
#include "gradlab/check/checker.hpp"

#include <cstdint>
#include <string>

namespace lab_step_size {

// One layer the Taylor test runs on, and whether its backward is the right one.
struct TaylorCase {
  std::string key, title;
  gradlab::check::Differentiable fn;
  bool right;
};

// A tanh layer on a random 4 x 5 input.
gradlab::check::Differentiable tanh_layer(bool right, std::uint64_t seed);
// A batch norm layer on a random 3 x 6 input, with random gamma and beta.
gradlab::check::Differentiable batchnorm_layer(bool right, std::uint64_t seed);

}  // namespace lab_step_size
