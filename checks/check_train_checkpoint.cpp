// Checkpoints: weights, BatchNorm's running statistics (net.state()) and the optimiser's state
// round-trip exactly, so a resumed run continues as if it had never stopped; and every file that
// is not a checkpoint of this network (another architecture, truncated at any byte, trailing
// bytes, another format version, another optimiser, a damaged or hostile header, not a
// checkpoint at all) is an error naming the file that leaves the network and optimiser untouched.
#include "gradlab/data/synthetic.hpp"
#include "gradlab/train/checkpoint.hpp"
#include "gradlab/train/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include "support.hpp"

namespace fs = std::filesystem;
using namespace gradlab;
using Catch::Matchers::Contains;

using namespace gradlab::checks;

namespace {

train::RunConfig config(const std::string& optimizer, std::uint64_t seed,
                        std::vector<arma::uword> arch = {2, 8, 8, 2}) {
  train::RunConfig c;
  c.arch = std::move(arch);
  c.activation = "tanh";
  c.batchnorm = true;  // running statistics: state that is not a parameter
  c.optimizer = optimizer;
  c.lr = optimizer == "adam" ? 0.01 : 0.05;
  c.momentum = optimizer == "adam" ? 0.0 : 0.9;
  c.seed = seed;
  return c;
}

const data::Dataset& disk() {
  static const data::Dataset d = [] {
    Rng rng(3);
    return data::make_disk(200, rng);
  }();
  return d;
}

train::History train_for(train::Model& m, int epochs, std::uint64_t seed) {
  train::TrainOptions o;
  o.epochs = epochs;
  o.batch_size = 20;
  o.seed = seed;
  return train::fit(m.net, *m.loss, *m.optimizer, {&disk(), nullptr, nullptr}, o);
}

bool identical(const arma::mat& A, const arma::mat& B) {
  return arma::size(A) == arma::size(B) &&
         std::equal(A.begin(), A.end(), B.begin(), B.end());  // bit for bit, not approximately
}

// Everything a checkpoint holds, copied: the network's parameters and state, the optimiser's.
struct Snapshot {
  std::vector<arma::mat> tensors;
  optim::OptimizerState optimizer;
};

Snapshot snapshot(train::Model& m) {
  Snapshot s;
  for (const gradlab::Parameter& p : m.net.parameters()) s.tensors.push_back(*p.value);
  for (const gradlab::Parameter& p : m.net.state()) s.tensors.push_back(*p.value);
  s.optimizer = m.optimizer->export_state();
  return s;
}

bool identical(const Snapshot& a, const Snapshot& b) {
  if (a.tensors.size() != b.tensors.size()) return false;
  for (std::size_t k = 0; k < a.tensors.size(); ++k)
    if (!identical(a.tensors[k], b.tensors[k])) return false;
  if (a.optimizer.optimizer != b.optimizer.optimizer || a.optimizer.learning_rate != b.optimizer.learning_rate ||
      a.optimizer.steps != b.optimizer.steps || a.optimizer.names != b.optimizer.names ||
      a.optimizer.buffers.size() != b.optimizer.buffers.size())
    return false;
  for (std::size_t k = 0; k < a.optimizer.buffers.size(); ++k)
    if (!identical(a.optimizer.buffers[k], b.optimizer.buffers[k])) return false;
  return true;
}

// The checkpoint's parts: "gradlab-checkpoint 1", the JSON header, the values.
struct Parts {
  std::string first_line;
  nlohmann::json header;
  std::string values;
};

Parts parts_of(const std::string& bytes) {
  const std::size_t line1 = bytes.find('\n'), line2 = bytes.find('\n', line1 + 1);
  return {bytes.substr(0, line1), nlohmann::json::parse(bytes.substr(line1 + 1, line2 - line1 - 1)),
          bytes.substr(line2 + 1)};
}

std::string bytes_of(const Parts& p) { return p.first_line + "\n" + p.header.dump() + "\n" + p.values; }

// Loading `file` into a fresh model must throw std::runtime_error naming the file and saying
// `what`, and leave the model (weights, state, optimiser) exactly as it was.
void require_refused(const fs::path& file, const std::string& what, const std::string& optimizer = "sgd") {
  train::Model m = train::build(config(optimizer, 11));
  train_for(m, 1, 5);  // non-trivial state: momentum buffers, running statistics, a step count
  const Snapshot before = snapshot(m);
  const std::string message = error_of<std::runtime_error>(
      [&] { train::load_checkpoint(file, m.net, m.optimizer.get()); });
  INFO("file: " << file.string() << "\nmessage: " << message);
  CHECK_THAT(message, Contains(file.string()) && Contains(what));
  CHECK(identical(snapshot(m), before));
}

}  // namespace

TEST_CASE("checkpoint: weights, BatchNorm running statistics and optimiser state round-trip exactly",
          "[train][checkpoint]") {
  TempFolder tmp;
  for (const std::string optimizer : {"sgd", "adam"}) {
    INFO("optimizer " << optimizer);
    train::Model a = train::build(config(optimizer, 1));
    train_for(a, 3, 1);
    // The running statistics moved away from their start (mean 0, variance 1): they are real state.
    bool moved = false;
    for (const gradlab::Parameter& p : a.net.state()) moved |= arma::abs(*p.value).max() != 1.0 && arma::abs(*p.value).max() != 0.0;
    REQUIRE(moved);
    REQUIRE(a.optimizer->steps() == 30);
    train::save_checkpoint(tmp / (optimizer + ".ckpt"), a.net, a.optimizer.get());

    train::Model b = train::build(config(optimizer, 2));  // other initial weights
    REQUIRE_FALSE(identical(snapshot(a), snapshot(b)));
    train::load_checkpoint(tmp / (optimizer + ".ckpt"), b.net, b.optimizer.get());
    CHECK(identical(snapshot(a), snapshot(b)));
    CHECK(b.optimizer->steps() == 30);

    // Without an optimiser: only the network is loaded, the optimiser's part is skipped.
    train::Model c = train::build(config(optimizer, 3));
    const optim::OptimizerState untouched = c.optimizer->export_state();
    train::load_checkpoint(tmp / (optimizer + ".ckpt"), c.net);
    CHECK(identical(snapshot(a).tensors[0], snapshot(c).tensors[0]));
    CHECK(c.optimizer->export_state().steps == untouched.steps);
  }
}

TEST_CASE("checkpoint: a resumed run continues exactly as the run that never stopped", "[train][checkpoint]") {
  TempFolder tmp;
  for (const std::string optimizer : {"sgd", "adam"}) {
    INFO("optimizer " << optimizer);
    train::Model a = train::build(config(optimizer, 1));
    train_for(a, 2, 1);
    train::save_checkpoint(tmp / "half.ckpt", a.net, a.optimizer.get());
    const train::History rest_a = train_for(a, 2, 9);  // the run that never stopped

    train::Model b = train::build(config(optimizer, 4));
    train::load_checkpoint(tmp / "half.ckpt", b.net, b.optimizer.get());
    const train::History rest_b = train_for(b, 2, 9);  // the resumed one
    CHECK(identical(snapshot(a), snapshot(b)));
    REQUIRE(rest_a.evaluations.size() == rest_b.evaluations.size());
    for (std::size_t k = 0; k < rest_a.evaluations.size(); ++k) {
      CHECK(rest_a.evaluations[k].train.loss == rest_b.evaluations[k].train.loss);
      CHECK(rest_a.evaluations[k].train.accuracy == rest_b.evaluations[k].train.accuracy);
    }
  }
}

TEST_CASE("checkpoint: a checkpoint of another architecture is an error naming the file", "[train][checkpoint][errors]") {
  TempFolder tmp;
  train::Model other = train::build(config("sgd", 1, {2, 4, 2}));
  train::save_checkpoint(tmp / "other-arch.ckpt", other.net, other.optimizer.get());
  require_refused(tmp / "other-arch.ckpt",
                  "was saved from another network (4 layers, 30 parameters: Linear(2, 4), BatchNorm(4), Tanh, Linear(4, 2)) than this one");
  // Same layer sizes, another optimiser: the network would fit, the optimiser state does not.
  train::Model adam = train::build(config("adam", 1));
  train::save_checkpoint(tmp / "adam.ckpt", adam.net, adam.optimizer.get());
  require_refused(tmp / "adam.ckpt", "holds the state of Adam, not of SGD");
}

TEST_CASE("checkpoint: a checkpoint truncated at any byte is an error naming the file, never garbage weights",
          "[train][checkpoint][errors]") {
  TempFolder tmp;
  train::Model m = train::build(config("sgd", 1));
  train_for(m, 1, 1);
  train::save_checkpoint(tmp / "whole.ckpt", m.net, m.optimizer.get());
  const std::string whole = read_bytes(tmp / "whole.ckpt");
  REQUIRE(whole.size() > 1000);
  // Every length from 0 to one byte short: inside the first line, the header, the values.
  train::Model target = train::build(config("sgd", 2));
  const Snapshot before = snapshot(target);
  std::size_t refused = 0;
  for (std::size_t length = 0; length < whole.size(); ++length) {
    write_bytes(tmp / "cut.ckpt", whole.substr(0, length));
    try {
      train::load_checkpoint(tmp / "cut.ckpt", target.net, target.optimizer.get());
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()).find((tmp / "cut.ckpt").string()) != std::string::npos) ++refused;
    }
  }
  CHECK(refused == whole.size());
  CHECK(identical(snapshot(target), before));
  // The messages of the main cases.
  const std::size_t values_start = whole.size() - parts_of(whole).values.size();
  write_bytes(tmp / "short-values.ckpt", whole.substr(0, values_start + 100));
  require_refused(tmp / "short-values.ckpt", "is truncated");
  write_bytes(tmp / "short-header.ckpt", whole.substr(0, values_start - 10));
  require_refused(tmp / "short-header.ckpt", "truncated inside its header");
}

TEST_CASE("checkpoint: trailing bytes, another version, another file and a damaged header are errors naming the file",
          "[train][checkpoint][errors]") {
  TempFolder tmp;
  train::Model m = train::build(config("sgd", 1));
  train::save_checkpoint(tmp / "good.ckpt", m.net, m.optimizer.get());
  const std::string good = read_bytes(tmp / "good.ckpt");
  REQUIRE(good.rfind("gradlab-checkpoint 1\n", 0) == 0);

  write_bytes(tmp / "trailing.ckpt", good + "\n");
  require_refused(tmp / "trailing.ckpt", "1 bytes after its values");

  Parts version = parts_of(good);
  version.first_line = "gradlab-checkpoint 2";
  write_bytes(tmp / "version-2.ckpt", bytes_of(version));
  require_refused(tmp / "version-2.ckpt", "has format version 2; this gradlab reads version 1");

  write_bytes(tmp / "notes.txt", "gradient descent notes\n");
  require_refused(tmp / "notes.txt", "is not a gradlab checkpoint");
  write_bytes(tmp / "empty.ckpt", "");
  require_refused(tmp / "empty.ckpt", "is not a gradlab checkpoint");
  require_refused(tmp / "missing.ckpt", "cannot be opened");
  fs::create_directories(tmp / "folder.ckpt");
  require_refused(tmp / "folder.ckpt", "is a folder");

  std::string damaged = good;
  damaged[good.find('{') + 1] = '#';  // the JSON header no longer parses
  write_bytes(tmp / "damaged.ckpt", damaged);
  require_refused(tmp / "damaged.ckpt", "damaged header");

  // A value that is not finite: never loaded as a weight.
  Parts nan = parts_of(good);
  const double not_a_number = arma::datum::nan;
  nan.values.replace(8, sizeof(double), reinterpret_cast<const char*>(&not_a_number), sizeof(double));
  write_bytes(tmp / "nan.ckpt", bytes_of(nan));
  require_refused(tmp / "nan.ckpt", "NaN or infinite");
}

TEST_CASE("checkpoint: a header with missing fields, wrong types or sizes that overflow is an error, not a crash",
          "[train][checkpoint][errors]") {
  TempFolder tmp;
  train::Model m = train::build(config("sgd", 1));
  train::save_checkpoint(tmp / "good.ckpt", m.net, m.optimizer.get());
  const Parts good = parts_of(read_bytes(tmp / "good.ckpt"));
  REQUIRE(good.header.contains("optimizer"));

  auto refused_with = [&](const std::string& name, const std::function<void(Parts&)>& change,
                          const std::string& what) {
    Parts p = good;
    change(p);
    write_bytes(tmp / name, bytes_of(p));
    require_refused(tmp / name, what);
  };
  refused_with("no-name.ckpt", [](Parts& p) { p.header["tensors"][0].erase("name"); }, "damaged header");
  refused_with("no-rows.ckpt", [](Parts& p) { p.header["tensors"][2].erase("rows"); }, "damaged header");
  refused_with("text-rows.ckpt", [](Parts& p) { p.header["tensors"][0]["rows"] = "eight"; }, "damaged header");
  refused_with("no-optimizer-name.ckpt", [](Parts& p) { p.header["optimizer"].erase("name"); }, "damaged header");
  refused_with("no-buffers.ckpt", [](Parts& p) { p.header["optimizer"].erase("buffers"); }, "damaged header");
  refused_with("tensors-not-a-list.ckpt", [](Parts& p) { p.header["tensors"] = 3; }, "damaged header");
  refused_with("architecture-a-number.ckpt", [](Parts& p) { p.header["architecture"] = 7; }, "damaged header");

  // Loaded without an optimiser, the optimiser's tensors are not compared with anything; one
  // claiming (2^61 - 1) x 1 doubles makes the byte count wrap around to 8 bytes less than the
  // network's values need. A file holding just those bytes must not be read past its end.
  Parts hostile = good;
  const std::size_t network = m.net.parameters().size() + m.net.state().size();
  hostile.header["tensors"] = nlohmann::json::array();
  for (std::size_t k = 0; k < network; ++k) hostile.header["tensors"].push_back(good.header["tensors"][k]);
  hostile.header["tensors"].push_back({{"name", "optimizer:0.W.velocity"}, {"rows", (std::uint64_t{1} << 61) - 1}, {"cols", 1}});
  hostile.header["optimizer"]["buffers"] = 1;
  std::size_t network_bytes = 0;
  for (std::size_t k = 0; k < network; ++k)
    network_bytes += 8 * good.header["tensors"][k]["rows"].get<std::size_t>() * good.header["tensors"][k]["cols"].get<std::size_t>();
  hostile.values = good.values.substr(0, network_bytes - 8);
  write_bytes(tmp / "wrapping-sizes.ckpt", bytes_of(hostile));
  train::Model target = train::build(config("sgd", 2));
  const Snapshot before = snapshot(target);
  const std::string message = error_of<std::runtime_error>(
      [&] { train::load_checkpoint(tmp / "wrapping-sizes.ckpt", target.net); });
  CHECK_THAT(message, Contains("wrapping-sizes.ckpt"));
  CHECK(identical(snapshot(target), before));
}
