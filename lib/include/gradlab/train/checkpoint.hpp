#pragma once
// Checkpoints: every parameter of a network (and its non-trainable state, such as batch norm's
// running statistics), optionally with the optimiser's state, in one file.
//
// Format (version 1): the line "gradlab-checkpoint 1", then one line of JSON describing the
// contents (architecture as Sequential::describe() prints it, less the train / eval mode, each
// tensor's name and shape, the optimiser's name, rate and step count), then every tensor's
// values as little-endian float64, column-major, in the order the JSON lists them, and nothing
// after. Written atomically.
#include "gradlab/nn/sequential.hpp"
#include "gradlab/optim/optimizer.hpp"

#include <filesystem>

namespace gradlab::train {

inline constexpr int checkpoint_version = 1;

void save_checkpoint(const std::filesystem::path& path, nn::Sequential& net,
                     const optim::Optimizer* optimizer = nullptr);

// Loads into net (and optimizer, when given and the file holds its state). Everything is checked
// before anything is assigned: a wrong version, another architecture, a tensor whose name or
// shape differs, a truncated file or trailing bytes throw std::runtime_error naming the file and
// what is wrong, and leave net and optimizer untouched.
void load_checkpoint(const std::filesystem::path& path, nn::Sequential& net,
                     optim::Optimizer* optimizer = nullptr);

}  // namespace gradlab::train
