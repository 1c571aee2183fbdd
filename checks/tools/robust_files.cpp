// robust_files: the helper of the robustness tests in checks/scripts/.
//   robust_files make-idx DIR          a tiny MNIST-shaped folder DIR/good (4x4 images: 150 train,
//                                      30 test) and one folder DIR/bad-<case> per broken input: a
//                                      copy of good with one file broken (see make_idx)
//   robust_files check-results DIR     every *.csv in DIR has a header and whole rows (as many
//                                      cells as the header, a status among ok / diverged /
//                                      interrupted when there is a status column); every *.json
//                                      parses. Exit 1 naming the first file that does not.
//   robust_files compare-results A B   the same result files in both folders; *.csv equal with the
//                                      "seconds" column left out, *.json equal with every field
//                                      that ends in "seconds" left out (lab::without_times), *.gp and
//                                      *.title byte for byte. Exit 1 naming the first difference.
//   robust_files json-has FILE KEY VALUE   exit 0 when some object in FILE has KEY == "VALUE"
// Exit 2 on bad usage.
#include "gradlab/data/idx.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/programs/sweep.hpp"
#include "gradlab/random.hpp"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include "../support.hpp"

namespace fs = std::filesystem;
using namespace gradlab;

using namespace gradlab::checks;

namespace {

const char* const train_images = "train-images-idx3-ubyte";
const char* const train_labels = "train-labels-idx1-ubyte";
const char* const test_images = "t10k-images-idx3-ubyte";
const char* const test_labels = "t10k-labels-idx1-ubyte";

data::Dataset tiny_images(arma::uword count, std::uint64_t seed) {
  Rng rng(seed);
  data::Dataset d;
  d.X = arma::round(255.0 * random_uniform(16, count, rng)) / 255.0;
  d.labels.set_size(count);
  for (arma::uword n = 0; n < count; ++n) d.labels(n) = rng() % 10;
  d.classes = 10;
  d.name = "tiny";
  d.image_rows = 4;
  d.image_cols = 4;
  return d;
}

// The good folder's four files as bytes (raw IDX).
struct Files {
  std::string train_images, train_labels, test_images, test_labels;
};

Files good_files() {
  const data::Dataset train = tiny_images(150, 1), test = tiny_images(30, 2);
  return {data::idx_images_bytes(train.X, 4, 4), data::idx_labels_bytes(train.labels),
          data::idx_images_bytes(test.X, 4, 4), data::idx_labels_bytes(test.labels)};
}

void write_folder(const fs::path& folder, const Files& f) {
  fs::create_directories(folder);
  write_bytes(folder / train_images, f.train_images);
  write_bytes(folder / train_labels, f.train_labels);
  write_bytes(folder / test_images, f.test_images);
  write_bytes(folder / test_labels, f.test_labels);
}

// A copy of the good folder with one file replaced (or removed and replaced by `replace`).
void bad_case(const fs::path& root, const std::string& name, const char* file,
              const std::function<void(const fs::path&)>& replace) {
  const fs::path folder = root / ("bad-" + name);
  fs::remove_all(folder);
  write_folder(folder, good_files());
  fs::remove(folder / file);
  replace(folder);
}

int make_idx(const fs::path& root) {
  const Files good = good_files();
  fs::remove_all(root / "good");
  write_folder(root / "good", good);
  auto with = [](const char* file, const std::string& bytes) {
    return [file, bytes](const fs::path& folder) { write_bytes(folder / file, bytes); };
  };
  std::string header_only = good.train_labels.substr(0, 5);
  std::string wrong_magic = good.train_images;
  wrong_magic[3] = '\x01';  // 0x00000801: a label file's magic where images are expected
  std::string short_data = good.test_images.substr(0, good.test_images.size() - 7);
  std::string few_labels;
  append_u32(few_labels, data::idx_labels_magic);
  append_u32(few_labels, 149);
  few_labels += good.train_labels.substr(8, 149);
  std::string overflow;
  append_u32(overflow, data::idx_images_magic);
  append_u32(overflow, 1u << 22);
  append_u32(overflow, 1u << 21);
  append_u32(overflow, 1u << 21);  // 2^64 bytes: wraps to 0 in 64 bits
  std::string corrupt_gz = data::gzip_bytes(good.train_images);
  for (std::size_t i = 20; i < 40 && i < corrupt_gz.size(); ++i) corrupt_gz[i] = static_cast<char>(~corrupt_gz[i]);
  const std::string gz_labels = data::gzip_bytes(good.test_labels);
  std::string out_of_range = good.train_labels;
  out_of_range[8 + 17] = '\x0a';  // label 10 of 10 classes
  std::string zero_images;
  append_u32(zero_images, data::idx_images_magic);
  append_u32(zero_images, 0);
  append_u32(zero_images, 4);
  append_u32(zero_images, 4);
  std::string other_shape;  // 30 test images of 2x8: the training images are 4x4
  {
    data::Dataset test = tiny_images(30, 3);
    other_shape = data::idx_images_bytes(test.X, 2, 8);
  }

  // The file named in each case is the one the error message must name (checks/CMakeLists.txt).
  bad_case(root, "empty-file", train_images, with(train_images, ""));
  bad_case(root, "truncated-header", train_labels, with(train_labels, header_only));
  bad_case(root, "truncated-data", test_images, with(test_images, short_data));
  bad_case(root, "wrong-magic", train_images, with(train_images, wrong_magic));
  bad_case(root, "counts-disagree", train_labels, with(train_labels, few_labels));
  bad_case(root, "overflowing-dimensions", train_images, with(train_images, overflow));
  bad_case(root, "corrupt-gzip", train_images, with("train-images-idx3-ubyte.gz", corrupt_gz));
  bad_case(root, "truncated-gzip", test_labels,
           with("t10k-labels-idx1-ubyte.gz", gz_labels.substr(0, gz_labels.size() / 2)));
  bad_case(root, "empty-gzip", test_labels, with("t10k-labels-idx1-ubyte.gz", data::gzip_bytes("")));
  bad_case(root, "directory", train_images,
           [](const fs::path& folder) { fs::create_directories(folder / train_images / "inside"); });
  bad_case(root, "fifo", test_images,
           [](const fs::path& folder) { ::mkfifo((folder / test_images).c_str(), 0600); });
  bad_case(root, "trailing-bytes", train_labels, with(train_labels, good.train_labels + "xyz"));
  bad_case(root, "label-out-of-range", train_labels, with(train_labels, out_of_range));
  bad_case(root, "no-images", train_images, with(train_images, zero_images));
  bad_case(root, "test-shape-differs", test_images, with(test_images, other_shape));
  std::cout << "tiny MNIST-shaped folders written to " << root.string() << '\n';
  return 0;
}

// The lines of a CSV, throwing unless every line is whole and has the header's cell count.
std::vector<std::vector<std::string>> csv_rows(const fs::path& path) {
  const std::string text = read_bytes(path);
  if (text.empty()) throw std::runtime_error(path.string() + ": empty");
  if (text.back() != '\n') throw std::runtime_error(path.string() + ": the last line is not whole");
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) rows.push_back(gradlab::output::parse_csv_line(line));  // RFC 4180
  const std::size_t columns = rows.front().size();
  const auto status = std::find(rows.front().begin(), rows.front().end(), "status");
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != columns)
      throw std::runtime_error(path.string() + ": line " + std::to_string(r + 1) + " has " +
                               std::to_string(rows[r].size()) + " cells, the header " + std::to_string(columns));
    if (status != rows.front().end()) {
      const std::string& s = rows[r][static_cast<std::size_t>(status - rows.front().begin())];
      if (s != "ok" && s != "diverged" && s != "interrupted")
        throw std::runtime_error(path.string() + ": line " + std::to_string(r + 1) + " has status '" + s + "'");
    }
  }
  return rows;
}

nlohmann::json json_file(const fs::path& path) {
  nlohmann::json j = nlohmann::json::parse(read_bytes(path), nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(path.string() + ": does not parse as JSON");
  return j;
}

std::set<std::string> result_files(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (ext == ".csv" || ext == ".json" || ext == ".gp" || ext == ".title") names.insert(name);
  }
  return names;
}

int check_results(const fs::path& folder) {
  int csv = 0, json = 0;
  for (const std::string& name : result_files(folder)) {
    const fs::path path = folder / name;
    if (path.extension() == ".csv") {
      csv_rows(path);
      ++csv;
    } else if (path.extension() == ".json") {
      json_file(path);
      ++json;
    }
  }
  std::cout << folder.string() << ": " << csv << " CSV and " << json << " JSON files complete\n";
  return 0;
}

int compare_results(const fs::path& a, const fs::path& b) {
  const std::set<std::string> names = result_files(a);
  if (names != result_files(b)) {
    std::cerr << "compare-results: " << a.string() << " and " << b.string() << " hold different files\n";
    return 1;
  }
  if (names.empty()) {
    std::cerr << "compare-results: no result files in " << a.string() << '\n';
    return 1;
  }
  for (const std::string& name : names) {
    const fs::path pa = a / name, pb = b / name;
    bool same = true;
    if (pa.extension() == ".csv") {
      auto ra = csv_rows(pa), rb = csv_rows(pb);
      const auto seconds = std::find(ra.front().begin(), ra.front().end(), "seconds") - ra.front().begin();
      for (auto* rows : {&ra, &rb})
        for (auto& row : *rows)
          if (static_cast<std::size_t>(seconds) < row.size()) row.erase(row.begin() + seconds);
      same = ra == rb;
    } else if (pa.extension() == ".json") {
      // every "...seconds" field aside, as the labs' runner compares its cells
      same = gradlab::lab::without_times(json_file(pa)) == gradlab::lab::without_times(json_file(pb));
    } else {
      same = read_bytes(pa) == read_bytes(pb);
    }
    if (!same) {
      std::cerr << "compare-results: " << name << " differs between " << a.string() << " and " << b.string() << '\n';
      return 1;
    }
  }
  std::cout << names.size() << " result files identical (timing aside)\n";
  return 0;
}

bool has_key_value(const nlohmann::json& j, const std::string& key, const std::string& value) {
  if (j.is_object()) {
    if (j.contains(key) && j[key].is_string() && j[key].get<std::string>() == value) return true;
    for (const auto& [k, v] : j.items())
      if (has_key_value(v, key, value)) return true;
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (has_key_value(v, key, value)) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 2 && args[0] == "make-idx") return make_idx(args[1]);
    if (args.size() == 2 && args[0] == "check-results") return check_results(args[1]);
    if (args.size() == 3 && args[0] == "compare-results") return compare_results(args[1], args[2]);
    if (args.size() == 4 && args[0] == "json-has") return has_key_value(json_file(args[1]), args[2], args[3]) ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "robust_files: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: robust_files make-idx DIR | check-results DIR | compare-results A B | json-has FILE KEY VALUE\n";
  return 2;
}
