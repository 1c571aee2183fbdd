#pragma once
// The network and optimiser that checkpoint_fuzzer loads into and make_checkpoint_seeds saves
// from: 2-3-2 tanh with BatchNorm (parameters and running statistics), SGD with momentum
// (velocity buffers).
#include "gradlab/nn/mlp.hpp"
#include "gradlab/optim/sgd.hpp"

#include <memory>

namespace gradlab::fuzz {

struct CheckpointModel {
  nn::Sequential net;
  std::unique_ptr<optim::SGD> sgd;
  explicit CheckpointModel(std::uint64_t seed, std::vector<arma::uword> sizes = {2, 3, 2}) {
    Rng rng(seed);
    net = nn::make_mlp(sizes, "tanh", true, 0.0, "glorot_uniform", rng);
    optim::SGDOptions o;
    o.learning_rate = 0.1;
    o.momentum = 0.9;
    sgd = std::make_unique<optim::SGD>(net.parameters(), o);
  }
};

}  // namespace gradlab::fuzz
