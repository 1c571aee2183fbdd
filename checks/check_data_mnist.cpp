// MNIST's folder rule, the verified download and the one message when MNIST cannot be had.
// Downloads are served by libcurl from file:// URLs in a temporary folder: no test touches the
// network (every call passes its own mirror list).
#include "gradlab/data/download.hpp"
#include "gradlab/data/idx.hpp"
#include "gradlab/data/mnist.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include "support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace gradlab;
using namespace gradlab::data;

using namespace gradlab::checks;

namespace {

// "file:///tmp/.../" : a folder as a mirror URL prefix.
std::string file_url(const fs::path& folder) { return "file://" + fs::absolute(folder).string() + "/"; }

std::size_t entries_in(const fs::path& folder) {
  if (!fs::exists(folder)) return 0;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

// A small stand-in for MNIST: `train` and `test` images of 4x4 in the four standard files
// (gzipped or raw) in folder. Returns the RemoteFile list with the MD5 sums of the .gz files.
std::vector<RemoteFile> write_small_mnist(const fs::path& folder, arma::uword train, arma::uword test,
                                          bool gzipped = true, std::uint64_t seed = 1) {
  Rng rng(seed);
  const char* names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  std::vector<RemoteFile> files;
  for (int set = 0; set < 2; ++set) {
    const arma::uword n = set == 0 ? train : test;
    const arma::mat X = arma::round(255.0 * random_uniform(16, n, rng)) / 255.0;
    arma::uvec labels(n);
    for (arma::uword i = 0; i < n; ++i) labels(i) = rng() % 10;
    const std::string contents[2] = {idx_images_bytes(X, 4, 4), idx_labels_bytes(labels)};
    for (int kind = 0; kind < 2; ++kind) {
      const std::string name = names[2 * set + kind];
      const std::string gz = gzip_bytes(contents[kind]);
      if (gzipped)
        write_bytes(folder / (name + ".gz"), gz);
      else
        write_bytes(folder / name, contents[kind]);
      files.push_back({name + ".gz", md5_hex(gz)});
    }
  }
  return files;
}

// Sets (or unsets, for nullopt) an environment variable for one scope, restoring it after.
struct ScopedEnvironment {
  std::string name;
  std::optional<std::string> saved;
  ScopedEnvironment(const std::string& variable, const std::optional<std::string>& value) : name(variable) {
    if (const char* old = std::getenv(name.c_str())) saved = old;
    if (value)
      ::setenv(name.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
  ~ScopedEnvironment() {
    if (saved)
      ::setenv(name.c_str(), saved->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

// Runs in another working directory for one scope.
struct ScopedWorkingDirectory {
  fs::path saved = fs::current_path();
  explicit ScopedWorkingDirectory(const fs::path& folder) { fs::current_path(folder); }
  ~ScopedWorkingDirectory() { fs::current_path(saved); }
};

}  // namespace

TEST_CASE("download: md5_hex gives the RFC 1321 test values", "[data][download]") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex(std::string("a\0b", 3)) != md5_hex("a"));  // bytes, not a C string
}

TEST_CASE("download: a file:// mirror with the right MD5 is saved whole", "[data][download]") {
  TempFolder tmp;
  const std::string bytes = gzip_bytes(std::string(5000, 'x') + "end");
  write_bytes(tmp / "mirror" / "thing.gz", bytes);
  std::ostringstream log;
  const fs::path saved = download_verified({"thing.gz", md5_hex(bytes)}, {file_url(tmp / "mirror")},
                                           tmp / "target", &log);
  CHECK(saved == tmp / "target" / "thing.gz");
  CHECK(read_bytes(saved) == bytes);
  CHECK(entries_in(tmp / "target") == 1);  // no temporary left beside it
  CHECK_THAT(log.str(), Contains("downloading file://") && Contains("MD5 ok"));
}

TEST_CASE("download: a wrong MD5 is rejected and leaves no file behind", "[data][download]") {
  TempFolder tmp;
  write_bytes(tmp / "mirror" / "thing.gz", "these are not the bytes you are looking for");
  const std::string wrong = "0123456789abcdef0123456789abcdef";
  const std::string message = error_of([&] {
    download_verified({"thing.gz", wrong}, {file_url(tmp / "mirror")}, tmp / "target");
  });
  CHECK_THAT(message, Contains("thing.gz") && Contains("MD5") && Contains(wrong));
  CHECK(entries_in(tmp / "target") == 0);
}

TEST_CASE("download: a mirror without the file or with bad bytes is skipped for the next one", "[data][download]") {
  TempFolder tmp;
  const std::string good = "the right bytes";
  write_bytes(tmp / "bad-mirror" / "thing.gz", "the wrong bytes");
  write_bytes(tmp / "good-mirror" / "thing.gz", good);
  fs::create_directories(tmp / "empty-mirror");
  const fs::path saved = download_verified(
      {"thing.gz", md5_hex(good)},
      {file_url(tmp / "empty-mirror"), file_url(tmp / "bad-mirror"), file_url(tmp / "good-mirror")},
      tmp / "target");
  CHECK(read_bytes(saved) == good);
  CHECK(entries_in(tmp / "target") == 1);

  const std::string message = error_of([&] {
    download_verified({"thing.gz", md5_hex(good)}, {file_url(tmp / "empty-mirror"), file_url(tmp / "bad-mirror")},
                      tmp / "target2");
  });
  CHECK_THAT(message, Contains("empty-mirror/thing.gz") && Contains("bad-mirror/thing.gz") && Contains("MD5"));
  CHECK(entries_in(tmp / "target2") == 0);
}

TEST_CASE("mnist: the folder is --data, else GRADLAB_DATA, else data/mnist", "[data][mnist][folder]") {
  CHECK(resolve_data_folder("/my/data", "/env/data").path == "/my/data");
  CHECK(resolve_data_folder("/my/data", "/env/data").source == "given");
  CHECK(resolve_data_folder("/my/data", nullptr).path == "/my/data");
  CHECK(resolve_data_folder("", "/env/data").path == "/env/data");
  CHECK(resolve_data_folder("", "/env/data").source == "GRADLAB_DATA");
  CHECK(resolve_data_folder("", nullptr).path == "data/mnist");
  CHECK(resolve_data_folder("", nullptr).source == "default");
  CHECK(resolve_data_folder("", "").path == "data/mnist");  // set but empty counts as unset
  CHECK(fs::path(resolve_data_folder("", nullptr).path).is_relative());
}

TEST_CASE("mnist: the folder rule reads GRADLAB_DATA from the environment", "[data][mnist][folder]") {
  {
    ScopedEnvironment env("GRADLAB_DATA", "/from/the/environment");
    CHECK(resolve_data_folder("").path == "/from/the/environment");
    CHECK(resolve_data_folder("/explicit").path == "/explicit");
  }
  {
    ScopedEnvironment env("GRADLAB_DATA", std::nullopt);
    CHECK(resolve_data_folder("").path == "data/mnist");
  }
}

TEST_CASE("mnist: load_mnist reads the folder the rule picks, raw or gzipped, without downloading", "[data][mnist][folder]") {
  TempFolder tmp;
  write_small_mnist(tmp / "by-option", 30, 10, true, 1);
  write_small_mnist(tmp / "by-environment", 20, 5, false, 2);
  write_small_mnist(tmp / "work" / "data" / "mnist", 12, 4, true, 3);
  const std::vector<std::string> no_mirrors;  // a missing file would fail, never download

  ScopedWorkingDirectory cwd(tmp / "work");
  {
    ScopedEnvironment env("GRADLAB_DATA", (tmp / "by-environment").string());
    const Mnist from_option = load_mnist((tmp / "by-option").string(), no_mirrors, nullptr);
    CHECK(from_option.train.size() == 30);
    CHECK(from_option.test.size() == 10);
    const Mnist from_environment = load_mnist("", no_mirrors, nullptr);
    CHECK(from_environment.train.size() == 20);
    CHECK(from_environment.test.size() == 5);
  }
  {
    ScopedEnvironment env("GRADLAB_DATA", std::nullopt);
    const Mnist from_default = load_mnist("", no_mirrors, nullptr);
    CHECK(from_default.train.size() == 12);
    CHECK(from_default.test.size() == 4);
    CHECK(from_default.train.features() == 16);
    CHECK(from_default.train.classes == 10);
    CHECK(from_default.train.name == "mnist train");
    CHECK(from_default.test.name == "mnist test");
  }
}

TEST_CASE("mnist: files already in the folder are used as they are, raw before gzipped", "[data][mnist]") {
  TempFolder tmp;
  write_small_mnist(tmp / "data", 9, 3, true, 1);
  write_small_mnist(tmp / "data", 8, 2, false, 2);  // raw files beside the .gz ones
  const MnistPaths paths = ensure_mnist_files(tmp / "data", {}, mnist_files(), nullptr);
  CHECK(paths.train_images == tmp / "data" / "train-images-idx3-ubyte");
  CHECK(paths.test_labels == tmp / "data" / "t10k-labels-idx1-ubyte");
  CHECK(load_mnist_files(paths).train.size() == 8);
  // No checksum applies to files already present (their MD5s are not the published ones).
  fs::remove(tmp / "data" / "train-images-idx3-ubyte");
  CHECK(ensure_mnist_files(tmp / "data", {}, mnist_files(), nullptr).train_images ==
        tmp / "data" / "train-images-idx3-ubyte.gz");
}

TEST_CASE("mnist: missing files are downloaded from the mirrors and checked", "[data][mnist][download]") {
  TempFolder tmp;
  const std::vector<RemoteFile> files = write_small_mnist(tmp / "mirror", 25, 7);
  write_small_mnist(tmp / "data", 25, 7);
  fs::remove(tmp / "data" / "train-labels-idx1-ubyte.gz");
  fs::remove(tmp / "data" / "t10k-images-idx3-ubyte.gz");
  std::ostringstream log;
  const MnistPaths paths = ensure_mnist_files(tmp / "data", {file_url(tmp / "mirror")}, files, &log);
  CHECK(read_bytes(paths.train_labels) == read_bytes(tmp / "mirror" / "train-labels-idx1-ubyte.gz"));
  CHECK(read_bytes(paths.test_images) == read_bytes(tmp / "mirror" / "t10k-images-idx3-ubyte.gz"));
  CHECK(entries_in(tmp / "data") == 4);
  CHECK_THAT(log.str(), Contains("train-labels-idx1-ubyte") && Contains("t10k-images-idx3-ubyte"));
  // Files already there are not fetched again.
  CHECK(log.str().find("train-images") == std::string::npos);
  const Mnist mnist = load_mnist_files(paths);
  CHECK(mnist.train.size() == 25);
  CHECK(mnist.test.size() == 7);
}

TEST_CASE("mnist: offline, one message names the folder, the four files and the options", "[data][mnist][download]") {
  TempFolder tmp;
  const std::vector<std::string> unreachable = {file_url(tmp / "no-such-mirror"), file_url(tmp / "nor-this-one")};
  const std::string message =
      error_of([&] { ensure_mnist_files(tmp / "data", unreachable, mnist_files(), nullptr); });
  CHECK_THAT(message, Contains((tmp / "data").string()) && Contains("train-images-idx3-ubyte") &&
                          Contains("train-labels-idx1-ubyte") && Contains("t10k-images-idx3-ubyte") &&
                          Contains("t10k-labels-idx1-ubyte") && Contains("another folder") &&
                          Contains("GRADLAB_DATA") && Contains("no-such-mirror") &&
                          Contains("nor-this-one"));
  CHECK(message.find('\n') == std::string::npos);  // one line
  CHECK(entries_in(tmp / "data") == 0);
}

TEST_CASE("mnist: GRADLAB_NO_DOWNLOAD turns load_mnist's download off, and the error says so", "[data][mnist][download]") {
  TempFolder tmp;
  write_small_mnist(tmp / "mirror", 10, 5);  // stand-ins: a download is tried, then refused (MD5)
  const std::vector<std::string> mirror = {file_url(tmp / "mirror")};
  const std::string folder = (tmp / "data").string();
  auto reason = [&](std::ostringstream& log) -> std::string {
    try {
      load_mnist(folder, mirror, &log);
    } catch (const DataUnavailable& e) {
      return e.reason;
    }
    return "loaded";
  };
  {
    ScopedEnvironment env("GRADLAB_NO_DOWNLOAD", "1");
    CHECK_FALSE(downloads_allowed());
    std::ostringstream log;
    CHECK(reason(log) == "downloads are off: GRADLAB_NO_DOWNLOAD is set");
    CHECK(log.str().empty());  // not a mirror asked
    const std::string message = error_of<DataUnavailable>([&] { load_mnist(folder, mirror, nullptr); });
    CHECK_THAT(message, Contains("MNIST is not in " + folder) && Contains("downloads are off") &&
                            Contains("GRADLAB_DATA") && Contains("t10k-labels-idx1-ubyte"));
    CHECK(message.find('\n') == std::string::npos);
  }
  for (const char* value : {"0", ""}) {  // set to 0 or empty: downloads stay on
    ScopedEnvironment env("GRADLAB_NO_DOWNLOAD", std::string(value));
    CHECK(downloads_allowed());
    std::ostringstream log;
    CHECK_THAT(reason(log), Contains("MD5"));
    CHECK_THAT(log.str(), Contains("downloading " + mirror[0]));
  }
  {
    ScopedEnvironment env("GRADLAB_NO_DOWNLOAD", std::nullopt);
    CHECK(downloads_allowed());
  }
  CHECK(entries_in(tmp / "data") == 0);
}

TEST_CASE("mnist: a checksum mismatch gives the same one message and keeps nothing", "[data][mnist][download]") {
  TempFolder tmp;
  // The mirror holds small stand-ins, whose MD5s are not the published MNIST ones.
  write_small_mnist(tmp / "mirror", 10, 10);
  const std::string message = error_of(
      [&] { ensure_mnist_files(tmp / "data", {file_url(tmp / "mirror")}, mnist_files(), nullptr); });
  CHECK_THAT(message, Contains("MNIST is not in " + (tmp / "data").string()) && Contains("MD5") &&
                          Contains("f68b3c2dcbeaaa9fbdd348bbdeb94873") && Contains("another folder") &&
                          Contains("GRADLAB_DATA") && Contains("t10k-labels-idx1-ubyte"));
  CHECK(entries_in(tmp / "data") == 0);
}

TEST_CASE("mnist: the published file names and MD5 sums, and mirrors ending in '/'", "[data][mnist]") {
  const std::vector<RemoteFile>& files = mnist_files();
  REQUIRE(files.size() == 4);
  CHECK(files[0].name == "train-images-idx3-ubyte.gz");
  CHECK(files[1].name == "train-labels-idx1-ubyte.gz");
  CHECK(files[2].name == "t10k-images-idx3-ubyte.gz");
  CHECK(files[3].name == "t10k-labels-idx1-ubyte.gz");
  CHECK(files[0].md5 == "f68b3c2dcbeaaa9fbdd348bbdeb94873");
  CHECK(files[1].md5 == "d53e105ee54ea40749a09fcbcd1e9432");
  CHECK(files[2].md5 == "9fb629c4189551a2d022fa330f9573f3");
  CHECK(files[3].md5 == "ec29112dd5afa0611ce80d1b7f02629c");
  REQUIRE(default_mnist_mirrors().size() >= 2);
  for (const std::string& mirror : default_mnist_mirrors()) CHECK(mirror.back() == '/');
}
