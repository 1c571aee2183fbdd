#include "gradlab/train/checkpoint.hpp"

#include "gradlab/io/files.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gradlab::train {

static_assert(std::endian::native == std::endian::little,
              "checkpoints store little-endian float64; add a byte swap for this machine");

namespace {

const std::string magic = "gradlab-checkpoint";

struct Entry {
  std::string name;
  arma::mat* value;
};

// Every tensor a checkpoint holds for this network, in file order: parameters, then state.
std::vector<Entry> network_tensors(nn::Sequential& net) {
  std::vector<Entry> entries;
  for (const gradlab::Parameter& p : net.parameters()) entries.push_back({p.name, p.value});
  for (const gradlab::Parameter& p : net.state()) entries.push_back({p.name, p.value});
  return entries;
}

// The architecture as Sequential::describe() prints it, without the train / eval mode: a
// checkpoint saved after training (fit leaves the network in eval mode) must load into a freshly
// built network (in train mode). Applied to the file's text too, so older files still load.
std::string architecture_of(const std::string& description) {
  std::string text = description;
  const std::size_t first_line = text.find('\n');
  for (const std::string mode : {", train mode", ", eval mode"}) {
    const std::size_t at = text.find(mode);
    if (at != std::string::npos && at < first_line) {
      text.erase(at, mode.size());
      break;
    }
  }
  return text;
}

// The architecture on one line, for messages: "3 layers, 22 parameters: Linear(2, 4), ReLU,
// Linear(4, 2)" from describe()'s first line and the layer name of each line after it.
std::string one_line(const std::string& architecture) {
  std::istringstream lines(architecture);
  std::string line, text, layers;
  std::getline(lines, line);
  const std::size_t colon = line.find(": ");
  text = colon == std::string::npos ? line : line.substr(colon + 2);
  while (std::getline(lines, line)) {
    std::size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    start = line.find_first_not_of(' ', line.find(' ', start));  // skip the layer's index
    if (start == std::string::npos) continue;
    const std::size_t end = line.find("  ", start);
    layers += (layers.empty() ? "" : ", ") + line.substr(start, end == std::string::npos ? end : end - start);
  }
  return layers.empty() ? text : text + ": " + layers;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error(path.string() + ": " + what);
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, nn::Sequential& net,
                     const optim::Optimizer* optimizer) {
  nlohmann::json header;
  header["version"] = checkpoint_version;
  header["architecture"] = architecture_of(net.describe());
  header["tensors"] = nlohmann::json::array();
  std::string values;
  auto add = [&](const std::string& name, const arma::mat& m) {
    header["tensors"].push_back({{"name", name}, {"rows", m.n_rows}, {"cols", m.n_cols}});
    values.append(reinterpret_cast<const char*>(m.memptr()), m.n_elem * sizeof(double));
  };
  for (const Entry& e : network_tensors(net)) add(e.name, *e.value);
  if (optimizer) {
    const optim::OptimizerState s = optimizer->export_state();
    header["optimizer"] = {{"name", s.optimizer}, {"learning_rate", s.learning_rate},
                           {"steps", s.steps}, {"buffers", s.names.size()}};
    for (std::size_t k = 0; k < s.buffers.size(); ++k) add("optimizer:" + s.names[k], s.buffers[k]);
  }
  io::write_file_atomically(path, magic + " " + std::to_string(checkpoint_version) + "\n" +
                                          header.dump() + "\n" + values);
}

namespace {
void load_checked(const std::filesystem::path& path, nn::Sequential& net, optim::Optimizer* optimizer);
}  // namespace

void load_checkpoint(const std::filesystem::path& path, nn::Sequential& net,
                     optim::Optimizer* optimizer) {
  try {
    load_checked(path, net, optimizer);
  } catch (const nlohmann::json::exception&) {
    fail(path, "has a damaged header");
  }
}

namespace {
void load_checked(const std::filesystem::path& path, nn::Sequential& net, optim::Optimizer* optimizer) {
  if (std::filesystem::is_directory(path)) fail(path, "is a folder, not a checkpoint file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot be opened");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();

  // Line 1: magic and version.
  const std::size_t line1 = bytes.find('\n');
  if (line1 == std::string::npos || bytes.compare(0, magic.size() + 1, magic + " ") != 0)
    fail(path, "is not a gradlab checkpoint (it does not start with '" + magic + "')");
  const std::string version = bytes.substr(magic.size() + 1, line1 - magic.size() - 1);
  if (version != std::to_string(checkpoint_version))
    fail(path, "has format version " + version + "; this gradlab reads version " +
                   std::to_string(checkpoint_version));
  // Line 2: the JSON header.
  const std::size_t line2 = bytes.find('\n', line1 + 1);
  if (line2 == std::string::npos) fail(path, "is truncated inside its header");
  const nlohmann::json header =
      nlohmann::json::parse(bytes.substr(line1 + 1, line2 - line1 - 1), nullptr, false);
  // Fields are read with at(): a missing one throws (a "damaged header") instead of reading
  // past the end of the object.
  if (header.is_discarded() || !header.is_object() || !header.contains("tensors") ||
      !header["tensors"].is_array() || !header.contains("architecture"))
    fail(path, "has a damaged header");

  const std::string architecture = architecture_of(header.at("architecture").get<std::string>());
  if (architecture != architecture_of(net.describe()))
    fail(path, "was saved from another network (" + one_line(architecture) + ") than this one (" +
                   one_line(architecture_of(net.describe())) + ")");

  // The expected tensors: the network's, then the optimiser's when both sides have one.
  std::vector<Entry> expected = network_tensors(net);
  optim::OptimizerState state;
  const bool with_optimizer = optimizer != nullptr && header.contains("optimizer");
  if (with_optimizer) {
    state = optimizer->export_state();  // names and shapes this optimiser expects
    const auto& o = header.at("optimizer");
    if (o.at("name").get<std::string>() != state.optimizer)
      fail(path, "holds the state of " + o.at("name").get<std::string>() + ", not of " + state.optimizer);
    state.learning_rate = o.at("learning_rate").get<double>();
    state.steps = o.at("steps").get<std::uint64_t>();
    for (std::size_t k = 0; k < state.buffers.size(); ++k)
      expected.push_back({"optimizer:" + state.names[k], &state.buffers[k]});
  }
  const auto& tensors = header.at("tensors");
  const std::size_t in_file = tensors.size();
  const std::size_t network_count = network_tensors(net).size();
  const std::size_t file_buffers =
      header.contains("optimizer") ? header.at("optimizer").at("buffers").get<std::size_t>() : 0;
  if (in_file != network_count + file_buffers)
    fail(path, "holds " + std::to_string(in_file) + " tensors but the network has " +
                   std::to_string(network_count) + " (and the optimiser state " + std::to_string(file_buffers) + ")");
  if (with_optimizer && file_buffers != state.buffers.size())
    fail(path, "holds " + std::to_string(file_buffers) + " optimiser buffers but " + state.optimizer +
                   " keeps " + std::to_string(state.buffers.size()));

  // Check every name and shape, and the byte count, before assigning anything.
  std::size_t offset = line2 + 1;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const auto& t = tensors.at(k);
    const std::string name = t.at("name").get<std::string>();
    const arma::uword rows = t.at("rows").get<arma::uword>(), cols = t.at("cols").get<arma::uword>();
    if (name != expected[k].name)
      fail(path, "tensor " + std::to_string(k) + " is '" + name + "' but '" + expected[k].name + "' is expected");
    if (rows != expected[k].value->n_rows || cols != expected[k].value->n_cols)
      fail(path, "'" + name + "' is " + std::to_string(rows) + "x" + std::to_string(cols) + " but the network's is " +
                     std::to_string(expected[k].value->n_rows) + "x" + std::to_string(expected[k].value->n_cols));
  }
  // The byte count of every tensor in the file, those not loaded included; sizes are checked
  // against the file's length so that no product or sum can wrap around.
  const std::size_t available = bytes.size() - offset;
  std::size_t in_file_bytes = 0;
  for (const auto& t : tensors) {
    const std::size_t rows = t.at("rows").get<std::size_t>(), cols = t.at("cols").get<std::size_t>();
    const std::size_t limit = available / sizeof(double) + 1;  // more elements than the file could hold
    const std::size_t elements = rows == 0 || cols <= limit / rows ? rows * cols : limit;
    in_file_bytes += std::min(elements, limit) * sizeof(double);
    if (in_file_bytes > available) break;
  }
  if (available < in_file_bytes)
    fail(path, "is truncated: its header promises " + std::to_string(in_file_bytes) + " bytes of values but " +
                   std::to_string(available) + " follow");
  if (available > in_file_bytes) fail(path, "has " + std::to_string(available - in_file_bytes) + " bytes after its values");

  // All checked: read the values into fresh matrices, then assign.
  std::vector<arma::mat> loaded;
  for (const Entry& e : expected) {
    arma::mat m(e.value->n_rows, e.value->n_cols);
    std::memcpy(m.memptr(), bytes.data() + offset, m.n_elem * sizeof(double));
    offset += m.n_elem * sizeof(double);
    if (!m.is_finite()) fail(path, "'" + e.name + "' holds NaN or infinite values");
    loaded.push_back(std::move(m));
  }
  if (with_optimizer) {
    for (std::size_t k = network_count; k < expected.size(); ++k) state.buffers[k - network_count] = loaded[k];
    try {
      optimizer->import_state(state);
    } catch (const std::invalid_argument& e) {
      fail(path, std::string("optimiser state does not fit: ") + e.what());
    }
  }
  for (std::size_t k = 0; k < network_count; ++k) *expected[k].value = loaded[k];
}

}  // namespace

}  // namespace gradlab::train
