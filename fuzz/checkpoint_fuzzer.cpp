// libFuzzer target for the checkpoint loader (train/checkpoint.hpp). An input is the bytes of a
// checkpoint file; it is loaded into a fixed network with and without its optimiser. A file
// may be refused only with std::runtime_error, and then the network and optimiser must be
// exactly as they were; an accepted file must leave only finite values. Anything else (another
// exception, a crash, a sanitizer report) is a finding.
#include "checkpoint_net.hpp"

#include "gradlab/train/checkpoint.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace gradlab;

struct Scratch {
  fs::path folder;
  Scratch() {
    folder = fs::temp_directory_path() / ("gradlab-checkpoint-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(folder);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

void require(bool property) {
  if (!property) __builtin_trap();
}

struct Snapshot {
  std::vector<arma::mat> tensors;
  optim::OptimizerState optimizer;
};

Snapshot snapshot(fuzz::CheckpointModel& m) {
  Snapshot s;
  for (const gradlab::Parameter& p : m.net.parameters()) s.tensors.push_back(*p.value);
  for (const gradlab::Parameter& p : m.net.state()) s.tensors.push_back(*p.value);
  s.optimizer = m.sgd->export_state();
  return s;
}

bool identical(const arma::mat& a, const arma::mat& b) {
  return arma::size(a) == arma::size(b) && std::equal(a.begin(), a.end(), b.begin(), b.end());
}

bool identical(const Snapshot& a, const Snapshot& b) {
  for (std::size_t k = 0; k < a.tensors.size(); ++k)
    if (!identical(a.tensors[k], b.tensors[k])) return false;
  for (std::size_t k = 0; k < a.optimizer.buffers.size(); ++k)
    if (!identical(a.optimizer.buffers[k], b.optimizer.buffers[k])) return false;
  return a.optimizer.steps == b.optimizer.steps && a.optimizer.learning_rate == b.optimizer.learning_rate;
}

// Puts the model back as it was, for the next input.
void restore(fuzz::CheckpointModel& m, const Snapshot& s) {
  std::size_t k = 0;
  for (const gradlab::Parameter& p : m.net.parameters()) *p.value = s.tensors[k++];
  for (const gradlab::Parameter& p : m.net.state()) *p.value = s.tensors[k++];
  m.sgd->import_state(s.optimizer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Scratch scratch;
  static fuzz::CheckpointModel model(1);
  static const Snapshot original = snapshot(model);
  const fs::path path = scratch.folder / "model.ckpt";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
  std::fclose(file);

  for (const bool with_optimizer : {true, false}) {
    try {
      train::load_checkpoint(path, model.net, with_optimizer ? model.sgd.get() : nullptr);
      const Snapshot loaded = snapshot(model);
      for (const arma::mat& t : loaded.tensors) require(t.is_finite());
      restore(model, original);
    } catch (const std::runtime_error&) {
      require(identical(snapshot(model), original));  // refused: nothing was assigned
    }
  }
  return 0;
}
