// make_checkpoint_seeds DIR: the seed corpus of checkpoint_fuzzer: checkpoints of its network
// with and without the optimiser's state, one of another architecture, one of another
// optimiser's state, and a few broken ones.
#include "checkpoint_net.hpp"

#include "gradlab/optim/adam.hpp"
#include "gradlab/train/checkpoint.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
using namespace gradlab;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_checkpoint_seeds DIR\n";
    return 2;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  fuzz::CheckpointModel m(2);
  m.net.forward(arma::mat{{0.1, 0.5, 0.9}, {0.3, 0.2, 0.7}});  // running statistics move
  train::save_checkpoint(dir / "with-optimizer", m.net, m.sgd.get());
  train::save_checkpoint(dir / "network-only", m.net);
  fuzz::CheckpointModel other(3, {2, 4, 2});
  train::save_checkpoint(dir / "other-architecture", other.net, other.sgd.get());
  optim::Adam adam(m.net.parameters());
  train::save_checkpoint(dir / "adam-state", m.net, &adam);

  std::stringstream buffer;
  buffer << std::ifstream(dir / "with-optimizer", std::ios::binary).rdbuf();
  const std::string good = buffer.str();
  auto seed = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  };
  seed("truncated-values", good.substr(0, good.size() - 20));
  seed("truncated-header", good.substr(0, good.find('\n') + 40));
  seed("trailing-bytes", good + "\n");
  std::string version = good;
  version[good.find(' ') + 1] = '2';
  seed("version-2", version);
  seed("not-a-checkpoint", "P5\n2 2\n255\n....");
  std::cout << "checkpoint seeds written to " << dir.string() << '\n';
  return 0;
}
