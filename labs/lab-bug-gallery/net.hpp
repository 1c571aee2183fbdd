#pragma once
// lab-bug-gallery's network and its bugs: which bug a network carries (Bug, BugInfo), the network
// as the checker sees it (differentiable, in_float), its stages for the bisection (stages), and a
// training run with the bug (train_with). The network itself, Net, is in net.cpp:
//   X (2 x B) -> Linear 16 -> [BatchNorm] -> act -> [Dropout] -> Linear 16x16 -> act
//             -> Linear 2 -> softmax cross-entropy (mean over the batch)
// Its forward pass is always right; `Bug` switches one line of its backward pass (or of what the
// backward pass writes into).
#include "gradlab/check/checker.hpp"
#include "gradlab/data/dataset.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace lab_bug_gallery {

using Mats = std::vector<arma::mat>;

enum class Bug {
  none,
  missing_transpose,        // dX = W dY instead of W^T dY (the square middle layer)
  batch_mean_twice,         // dlogits = (probs - onehot) / B^2
  batch_mean_never,         // dlogits = probs - onehot
  bias_not_summed,          // db = dY(:, 0): one sample's gradient, code written for batch 1
  tanh_from_preactivation,  // dX = dY (1 - Z^2), Z the pre-activation, as if it were tanh's output
  relu_mask_from_grad,      // dX = dY 1[dY > 0] instead of dY 1[X > 0]
  softmax_ce_sign,          // dlogits = (onehot - probs) / B
  batchnorm_no_mean,        // batch norm's dX without the term through the mean (- sum_b dY)
  dropout_new_mask,         // backward draws a fresh mask instead of reusing forward's
  momentum_in_grad,         // the velocity written into the gradient: dW = g + mu dW_previous
  glorot_fan_in,            // run-time init scale: forward sqrt(6/(in+out)), backward sqrt(6/in)
  broadcast_bias,           // db = sum of dY over the batch AND the units, broadcast to every unit
  no_zero_grad,             // dW += ... : gradients accumulated across backward calls
};

// One row of the gallery: the bug, and the network configuration it lives in.
struct BugInfo {
  Bug bug;
  std::string key, title;
  gradlab::check::Pattern expected = gradlab::check::Pattern::none;  // the diagnosis that names this bug
  std::string activation = "tanh";
  bool batchnorm = false;
  double dropout = 0.0;
  bool runtime_scale = false;
};

// The network on a fixed batch as the checker sees it: inputs X and every parameter, output the
// loss (1 x 1), backward(G) = G times the gradients. The network is fresh, its gradient buffers
// zero, as when a check runs before training: bugs that keep state between backward calls
// give the right values on the first call and show only from the second one on.
gradlab::check::Differentiable differentiable(const BugInfo& info, const gradlab::data::Dataset& batch,
                                              std::uint64_t seed);

// Float emulation: the loss rounded to float (a 24-bit mantissa) at every evaluation.
gradlab::check::Differentiable in_float(gradlab::check::Differentiable fn);

// The network's stages (Net::stages), in forward order, after a forward pass of batch with the
// dropout mask frozen: each a checkable function of the input that pass gave it, with this
// network's backward (and its bug).
std::vector<std::pair<std::string, gradlab::check::Differentiable>> stages(const BugInfo& info,
                                                                           const gradlab::data::Dataset& batch,
                                                                           std::uint64_t seed);

// Training: momentum SGD on the disk set, one row per epoch into csv_path; the final test accuracy.
struct TrainResult {
  double accuracy = 0.0, loss = 0.0;
  bool diverged = false;
};
TrainResult train_with(const BugInfo& info, const gradlab::data::Dataset& train_set,
                       const gradlab::data::Dataset& test_set, int epochs, std::uint64_t seed,
                       const std::filesystem::path& csv_path);

}  // namespace lab_bug_gallery
