#pragma once
// lab-batchnorm's part 1: batch normalisation's backward pass three ways on the same input and
// upstream gradient, (a) the closed form ops::batchnorm_backward, (b) the staged derivation
// written out in part1.cpp, (c) central finite differences, with its table, gradients.csv and
// figure.
#include "gradlab/programs/lab.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace lab_batchnorm {

struct GradientAgreement {
  bool agree_all = true;  // every judged case within the tolerance
  double worst_ab = 0, worst_ac = 0, worst_bc = 0;  // largest |difference| over the judged cases
  nlohmann::json cases;
};

// Runs the cases from `seed` on, prints their table, writes gradients.csv and its figure into
// options.out.
GradientAgreement compare_gradients(const gradlab::lab::LabOptions& options, double tolerance);

// The lab's report-vs-ours table, opened with part 1's three rows (part 2 adds its own).
gradlab::lab::Comparison comparison_with_gradients(const GradientAgreement& g, bool on_cifar, double tolerance);

}  // namespace lab_batchnorm
