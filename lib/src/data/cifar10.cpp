#include "gradlab/data/cifar10.hpp"

#include "gradlab/data/idx.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/shape.hpp"

#include <array>
#include <cmath>
#include <stdexcept>
#include <system_error>

namespace gradlab::data {
namespace {

namespace fs = std::filesystem;

// Every reading error: "<file>: <what is wrong>", as the IDX reader says it.
[[noreturn]] void fail(const fs::path& path, const std::string& message) {
  throw std::runtime_error(path.string() + ": " + message);
}

}  // namespace

const std::vector<std::string>& cifar10_train_files() {
  static const std::vector<std::string> files = {"data_batch_1.bin", "data_batch_2.bin",
                                                 "data_batch_3.bin", "data_batch_4.bin",
                                                 "data_batch_5.bin"};
  return files;
}

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                 "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

Dataset read_cifar10_batch(const std::filesystem::path& path, const std::string& name) {
  // Missing, a folder, unreadable, empty: read_file_bytes names the file and the problem.
  const std::string bytes = read_file_bytes(path);
  if (bytes.size() % cifar10_record_bytes != 0)
    fail(path, "size " + std::to_string(bytes.size()) + " bytes is not a multiple of " +
                   std::to_string(cifar10_record_bytes) + " (a CIFAR-10 record is 1 label byte + " +
                   std::to_string(cifar10_pixels) + " pixel bytes): " +
                   std::to_string(bytes.size() / cifar10_record_bytes) + " whole records and " +
                   std::to_string(bytes.size() % cifar10_record_bytes) + " bytes left over");
  const arma::uword count = bytes.size() / cifar10_record_bytes;

  std::array<double, 256> scaled;  // the 256 quotients v / 255, looked up
  for (int v = 0; v < 256; ++v) scaled[v] = v / 255.0;
  Dataset data;
  data.X.set_size(cifar10_pixels, count);
  data.labels.set_size(count);
  const auto* record = reinterpret_cast<const unsigned char*>(bytes.data());
  arma::uword out_of_range = 0, first_bad = 0;
  for (arma::uword n = 0; n < count; ++n, record += cifar10_record_bytes) {
    data.labels(n) = record[0];
    if (record[0] >= cifar10_classes && out_of_range++ == 0) first_bad = n;
    // The record's pixels (red plane, green plane, blue plane) are column n, in that order.
    double* column = data.X.colptr(n);
    for (arma::uword i = 0; i < cifar10_pixels; ++i) column[i] = scaled[record[1 + i]];
  }
  if (out_of_range > 0)
    fail(path, "label " + std::to_string(data.labels(first_bad)) + " of record " +
                   std::to_string(first_bad) + " (byte offset " +
                   std::to_string(first_bad * cifar10_record_bytes) +
                   ") is out of range: labels must be 0-9; " + std::to_string(out_of_range) +
                   " of " + std::to_string(count) + " labels are out of range");
  data.classes = cifar10_classes;
  data.name = name;
  data.image_rows = 96;  // three 32-row colour planes stacked
  data.image_cols = 32;
  return data;
}

Cifar10 load_cifar10(const std::filesystem::path& folder) {
  const std::string expected = "(expected data_batch_1.bin .. data_batch_5.bin and test_batch.bin)";
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw std::runtime_error(folder.string() + ": " +
                             (fs::exists(folder, ec) ? "is not a folder " : "no such folder ") + expected);
  std::vector<std::string> names = cifar10_train_files();
  names.push_back(cifar10_test_file);
  std::string missing;
  for (const std::string& file : names) {
    if (!fs::exists(folder / file, ec)) missing += (missing.empty() ? "" : ", ") + file;
  }
  if (!missing.empty())
    throw std::runtime_error(folder.string() + ": not a CIFAR-10 binary folder: missing " + missing +
                             " " + expected);
  Cifar10 c;
  std::vector<Dataset> parts;
  arma::uword total = 0;
  for (const std::string& file : cifar10_train_files()) {
    parts.push_back(read_cifar10_batch(folder / file, file));
    total += parts.back().size();
  }
  c.train.X.set_size(cifar10_pixels, total);
  c.train.labels.set_size(total);
  arma::uword at = 0;
  for (const Dataset& part : parts) {
    c.train.X.cols(at, at + part.size() - 1) = part.X;
    c.train.labels.subvec(at, at + part.size() - 1) = part.labels;
    at += part.size();
  }
  c.train.classes = cifar10_classes;
  c.train.name = "cifar-10 train";
  c.train.image_rows = 96;
  c.train.image_cols = 32;
  c.test = read_cifar10_batch(folder / cifar10_test_file, "cifar-10 test");
  return c;
}

std::string cifar10_bytes(const Dataset& data) {
  require(data.X.n_rows == cifar10_pixels, "data::cifar10_bytes",
          "X is " + shape_of(data.X) + " but a CIFAR-10 image has " +
              std::to_string(cifar10_pixels) + " pixels (rows)");
  require(data.labels.n_elem == data.X.n_cols, "data::cifar10_bytes",
          "X is " + shape_of(data.X) + " but there are " + std::to_string(data.labels.n_elem) +
              " labels (one per column)");
  require(data.X.n_cols > 0, "data::cifar10_bytes", "X has no column (no image)");
  std::string bytes;
  bytes.reserve(data.X.n_cols * cifar10_record_bytes);
  for (arma::uword n = 0; n < data.X.n_cols; ++n) {
    require(data.labels(n) < cifar10_classes, "data::cifar10_bytes",
            "label " + std::to_string(data.labels(n)) + " of record " + std::to_string(n) +
                " is out of range (labels must be 0-9)");
    bytes.push_back(static_cast<char>(static_cast<unsigned char>(data.labels(n))));
    for (arma::uword i = 0; i < cifar10_pixels; ++i) {
      const double x = data.X(i, n);
      require(x >= 0.0 && x <= 1.0, "data::cifar10_bytes",
              "pixel " + std::to_string(i) + " of image " + std::to_string(n) + " is " +
                  std::to_string(x) + " (pixels must lie in [0, 1])");
      bytes.push_back(static_cast<char>(static_cast<unsigned char>(std::lround(255.0 * x))));
    }
  }
  return bytes;
}

void write_cifar10_batch(const Dataset& data, const std::filesystem::path& path) {
  io::write_file_atomically(path, cifar10_bytes(data));
}

}  // namespace gradlab::data
