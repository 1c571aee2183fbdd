#include "gradlab/data/mnist.hpp"

#include "gradlab/data/idx.hpp"
#include "gradlab/shape.hpp"

#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace gradlab::data {
namespace {

namespace fs = std::filesystem;

std::string without_gz(const std::string& name) {
  return name.size() > 3 && name.ends_with(".gz") ? name.substr(0, name.size() - 3) : name;
}

// "data/mnist (/home/ada/gradlab/data/mnist)" for a relative folder, the path alone otherwise.
std::string describe_folder(const fs::path& folder) {
  if (folder.is_absolute()) return folder.string();
  std::error_code ec;
  const fs::path absolute = fs::absolute(folder, ec);
  return ec ? folder.string() : folder.string() + " (" + absolute.string() + ")";
}

}  // namespace

const std::vector<RemoteFile>& mnist_files() {
  // The MD5 sums of the original .gz files, as torchvision's MNIST class lists them.
  static const std::vector<RemoteFile> files = {
      {"train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"},
      {"train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"},
      {"t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"},
      {"t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"},
  };
  return files;
}

const std::vector<std::string>& default_mnist_mirrors() {
  static const std::vector<std::string> mirrors = {
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "http://yann.lecun.com/exdb/mnist/",
  };
  return mirrors;
}

DataFolder resolve_data_folder(const std::string& data_option, const char* environment_value) {
  if (!data_option.empty()) return {data_option, "given"};
  if (environment_value != nullptr && environment_value[0] != '\0')
    return {environment_value, data_environment_variable};
  return {default_mnist_folder, "default"};
}

DataFolder resolve_data_folder(const std::string& data_option) {
  return resolve_data_folder(data_option, std::getenv(data_environment_variable));
}

namespace {

// ensure_mnist_files, or with downloads_off set (a reason), the same search without a download.
MnistPaths find_or_download(const fs::path& folder, const std::vector<std::string>& mirrors,
                            const std::vector<RemoteFile>& files, std::ostream* log,
                            const std::string& downloads_off) {
  require(files.size() == 4, "data::ensure_mnist_files",
          "expected 4 files (train images, train labels, test images, test labels), got " +
              std::to_string(files.size()));
  fs::path paths[4];
  std::string missing, names;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string raw = without_gz(files[i].name);
    names += (i == 0 ? "" : ", ") + raw + "[.gz]";
    std::error_code ec;
    // Anything at the expected name counts as present: if it is a folder or a broken file,
    // reading it says so, rather than a download overwriting it.
    if (fs::exists(folder / raw, ec))
      paths[i] = folder / raw;
    else if (fs::exists(folder / (raw + ".gz"), ec))
      paths[i] = folder / (raw + ".gz");
    else
      missing += (missing.empty() ? "" : ", ") + raw;
  }
  if (!missing.empty()) {
    std::string reason = downloads_off;
    if (reason.empty()) {
      if (log) *log << "MNIST: " << missing << " not found in " << describe_folder(folder) << '\n';
      try {
        for (std::size_t i = 0; i < 4; ++i)
          if (paths[i].empty()) paths[i] = download_verified(files[i], mirrors, folder, log);
      } catch (const std::runtime_error& e) {
        reason = e.what();
      }
    }
    if (!reason.empty())
      throw DataUnavailable(
          "MNIST is not in " + describe_folder(folder) + " (missing: " + missing +
              ") and could not be downloaded (" + reason + "). Put the four files " + names +
              " (gzipped or not) in " + folder.string() +
              ", or name another folder that holds them (the program's data folder, or the " +
              data_environment_variable + " environment variable).",
          reason);
  }
  return {paths[0], paths[1], paths[2], paths[3]};
}

}  // namespace

bool downloads_allowed() {
  const char* value = std::getenv(no_download_environment_variable);
  return value == nullptr || value[0] == '\0' || std::string(value) == "0";
}

MnistPaths ensure_mnist_files(const std::filesystem::path& folder,
                              const std::vector<std::string>& mirrors,
                              const std::vector<RemoteFile>& files, std::ostream* log) {
  return find_or_download(folder, mirrors, files, log, "");
}

Mnist load_mnist_files(const MnistPaths& paths) {
  Mnist mnist;
  mnist.train = read_idx_dataset(paths.train_images, paths.train_labels, 10, "mnist train");
  mnist.test = read_idx_dataset(paths.test_images, paths.test_labels, 10, "mnist test");
  if (mnist.train.image_rows != mnist.test.image_rows ||
      mnist.train.image_cols != mnist.test.image_cols)
    throw std::runtime_error(
        paths.train_images.string() + " holds images of " + std::to_string(mnist.train.image_rows) +
        "x" + std::to_string(mnist.train.image_cols) + " but " + paths.test_images.string() +
        " holds images of " + std::to_string(mnist.test.image_rows) + "x" +
        std::to_string(mnist.test.image_cols) + " (they must match)");
  return mnist;
}

Mnist load_mnist(const std::string& data_option, const std::vector<std::string>& mirrors,
                 std::ostream* log) {
  const DataFolder folder = resolve_data_folder(data_option);
  const std::string off = downloads_allowed() ? "" : std::string("downloads are off: ") +
                                                         no_download_environment_variable + " is set";
  return load_mnist_files(find_or_download(folder.path, mirrors, mnist_files(), log, off));
}

}  // namespace gradlab::data
