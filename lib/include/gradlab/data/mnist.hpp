#pragma once
// MNIST: finding the four files, downloading them when they are absent, and loading them.
//
// The folder is, in this order: the value of a program's `--data DIR` option when given, else
// the GRADLAB_DATA environment variable when set and not empty, else data/mnist relative to the
// working directory. In it each file may be raw or gzipped: train-images-idx3-ubyte[.gz],
// train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].
//
// Files missing from the folder are downloaded (the .gz versions) from the mirrors and kept
// only when their MD5 is the published one. Files already in the folder are not checksummed
// (a re-compressed copy is as good); they are read with every IDX check of idx.hpp.
// Offline, or when no mirror gives the right bytes, loading fails with one message that says
// which folder was searched, the four file names, and the --data / GRADLAB_DATA options.
// With GRADLAB_NO_DOWNLOAD set (to anything but "" or "0") load_mnist downloads nothing: tests,
// and ./workbench run once one lab found MNIST out of reach, fail at once instead of waiting on
// the network.
#include "gradlab/data/dataset.hpp"
#include "gradlab/data/download.hpp"

#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::data {

inline constexpr const char* data_environment_variable = "GRADLAB_DATA";
inline constexpr const char* no_download_environment_variable = "GRADLAB_NO_DOWNLOAD";

// Thrown when MNIST files are absent from the folder and could not be downloaded: the one case
// a lab may skip MNIST rather than fail. A file that is present but unreadable or corrupt is a
// plain std::runtime_error naming it. what() is the whole message; reason says in a few words
// why nothing was downloaded (the download's error, or that downloads are off), for a status
// line.
struct DataUnavailable : std::runtime_error {
  DataUnavailable(const std::string& message, std::string why)
      : std::runtime_error(message), reason(std::move(why)) {}
  std::string reason;
};

// False when GRADLAB_NO_DOWNLOAD is set to anything but "" or "0".
bool downloads_allowed();

inline constexpr const char* default_mnist_folder = "data/mnist";

// The four .gz files with the MD5 sums of the original downloads (the ones torchvision checks).
const std::vector<RemoteFile>& mnist_files();

// The public mirrors, tried in order: https://ossci-datasets.s3.amazonaws.com/mnist/, then
// http://yann.lecun.com/exdb/mnist/.
const std::vector<std::string>& default_mnist_mirrors();

struct DataFolder {
  std::filesystem::path path;
  std::string source;  // "given" (by the caller), "GRADLAB_DATA" or "default", for messages
};

// The folder rule above. data_option: the --data value, empty when not given.
// environment_value: the value of GRADLAB_DATA, null when unset.
DataFolder resolve_data_folder(const std::string& data_option, const char* environment_value);

// The same, reading GRADLAB_DATA from the environment.
DataFolder resolve_data_folder(const std::string& data_option);

struct MnistPaths {
  std::filesystem::path train_images, train_labels, test_images, test_labels;
};

// The paths of the four files in folder (raw preferred to .gz when both are there), downloading
// each missing one from the mirrors. `files` lists the remote names and their MD5 sums in the
// order train images, train labels, test images, test labels (default: mnist_files()).
// Throws DataUnavailable with the one message described above when a file is still missing.
MnistPaths ensure_mnist_files(const std::filesystem::path& folder,
                              const std::vector<std::string>& mirrors,
                              const std::vector<RemoteFile>& files = mnist_files(),
                              std::ostream* log = &std::clog);

struct Mnist {
  Dataset train;  // the 60,000 images of the training file ("mnist train")
  Dataset test;   // the 10,000 images of the test file ("mnist test")
};

// Loads MNIST from the folder the rule above picks (downloading missing files from mirrors,
// unless downloads_allowed() is false). Pixels are in [0, 1], 784 features, 10 classes, labels 0-9.
Mnist load_mnist(const std::string& data_option = "",
                 const std::vector<std::string>& mirrors = default_mnist_mirrors(),
                 std::ostream* log = &std::clog);

// Loads MNIST from the four files.
Mnist load_mnist_files(const MnistPaths& paths);

}  // namespace gradlab::data
