// The CIFAR-10 binary reader: round trips, the record layout (label byte, then the red, green
// and blue planes), the six-file folder, and every broken file it must refuse with a message
// naming the file. The tests write their own small files into a temporary folder.
#include "gradlab/data/cifar10.hpp"
#include "gradlab/data/idx.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include "support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace gradlab;
using namespace gradlab::data;

using namespace gradlab::checks;

namespace {

// count images whose pixels are exact multiples of 1/255, labels 0-9.
Dataset small_cifar(arma::uword count, std::uint64_t seed) {
  Rng rng(seed);
  Dataset data;
  data.X = arma::round(255.0 * random_uniform(cifar10_pixels, count, rng)) / 255.0;
  data.labels.set_size(count);
  for (arma::uword n = 0; n < count; ++n) data.labels(n) = rng() % 10;
  data.classes = 10;
  data.name = "small";
  return data;
}

// One record written by hand: label, then 3072 pixel bytes from a rule.
std::string record(unsigned char label, unsigned char (*pixel)(arma::uword)) {
  std::string bytes(1, static_cast<char>(label));
  for (arma::uword i = 0; i < cifar10_pixels; ++i) bytes.push_back(static_cast<char>(pixel(i)));
  return bytes;
}

}  // namespace

TEST_CASE("cifar10: a batch file round-trips exactly", "[data][cifar10]") {
  TempFolder tmp;
  const Dataset original = small_cifar(4, 1);
  write_cifar10_batch(original, tmp / "data_batch_1.bin");
  CHECK(fs::file_size(tmp / "data_batch_1.bin") == 4 * 3073);
  const Dataset loaded = read_cifar10_batch(tmp / "data_batch_1.bin", "loaded");
  CHECK(loaded.name == "loaded");
  CHECK(loaded.classes == 10);
  CHECK(loaded.image_rows * loaded.image_cols == 3072);
  REQUIRE(loaded.X.n_rows == 3072);
  REQUIRE(loaded.X.n_cols == 4);
  CHECK(arma::approx_equal(loaded.X, original.X, "absdiff", 1e-15));
  CHECK(arma::all(loaded.labels == original.labels));
}

TEST_CASE("cifar10: a record is a label byte, then the red, green and blue planes row by row", "[data][cifar10]") {
  TempFolder tmp;
  // Image 0: pixel byte i is i / 1024 * 100 (0 red, 100 green, 200 blue), except two marks.
  auto planes = [](arma::uword i) -> unsigned char {
    if (i == 1 * 32 + 2) return 7;            // red, row 1, column 2
    if (i == 2048 + 31 * 32 + 31) return 255;  // blue, row 31, column 31
    return static_cast<unsigned char>(100 * (i / 1024));
  };
  auto zeros = [](arma::uword) -> unsigned char { return 0; };
  write_bytes(tmp / "hand.bin", record(3, planes) + record(9, zeros));
  const Dataset d = read_cifar10_batch(tmp / "hand.bin", "hand");
  REQUIRE(d.size() == 2);
  CHECK(d.labels(0) == 3);
  CHECK(d.labels(1) == 9);
  CHECK(d.X(0, 0) == 0.0);
  CHECK(d.X(1 * 32 + 2, 0) == 7.0 / 255.0);
  CHECK(d.X(1024, 0) == 100.0 / 255.0);  // the first green pixel
  CHECK(d.X(2048, 0) == 200.0 / 255.0);  // the first blue pixel
  CHECK(d.X(2048 + 31 * 32 + 31, 0) == 1.0);
  CHECK(arma::all(d.X.col(1) == 0.0));
  // The stacked-planes picture: feature r * image_cols + c is row r, column c of 96 x 32.
  CHECK(d.image_rows == 96);
  CHECK(d.image_cols == 32);
  CHECK(d.X(65 * d.image_cols + 0, 0) == 200.0 / 255.0);  // row 65: blue plane, row 1
}

TEST_CASE("cifar10: a gzip-compressed batch file is read the same", "[data][cifar10]") {
  TempFolder tmp;
  const Dataset original = small_cifar(2, 2);
  write_bytes(tmp / "test_batch.bin", gzip_bytes(cifar10_bytes(original)));
  const Dataset loaded = read_cifar10_batch(tmp / "test_batch.bin", "gz");
  CHECK(arma::approx_equal(loaded.X, original.X, "absdiff", 1e-15));
  CHECK(arma::all(loaded.labels == original.labels));
}

TEST_CASE("cifar10: the folder's five training files are joined in order, the test file kept apart", "[data][cifar10]") {
  TempFolder tmp;
  std::vector<Dataset> parts;
  for (int k = 0; k < 5; ++k) {
    parts.push_back(small_cifar(static_cast<arma::uword>(k + 1), 10 + static_cast<std::uint64_t>(k)));
    write_cifar10_batch(parts.back(), tmp / cifar10_train_files()[k]);
  }
  const Dataset test = small_cifar(3, 20);
  write_cifar10_batch(test, tmp / "test_batch.bin");
  const Cifar10 c = load_cifar10(tmp.path);
  REQUIRE(c.train.size() == 1 + 2 + 3 + 4 + 5);
  CHECK(c.train.name == "cifar-10 train");
  CHECK(c.test.name == "cifar-10 test");
  arma::uword at = 0;
  for (const Dataset& part : parts) {
    CHECK(arma::approx_equal(c.train.X.cols(at, at + part.size() - 1), part.X, "absdiff", 1e-15));
    CHECK(arma::all(c.train.labels.subvec(at, at + part.size() - 1) == part.labels));
    at += part.size();
  }
  CHECK(arma::approx_equal(c.test.X, test.X, "absdiff", 1e-15));
  CHECK(c.train.classes == 10);
}

TEST_CASE("cifar10: a folder without the files names the folder and every missing file", "[data][cifar10][errors]") {
  TempFolder tmp;
  write_cifar10_batch(small_cifar(1, 3), tmp / "data_batch_1.bin");
  write_cifar10_batch(small_cifar(1, 4), tmp / "data_batch_3.bin");
  const std::string message = error_of([&] { load_cifar10(tmp.path); });
  CHECK_THAT(message, Contains(tmp.path.string()) &&
                          Contains("missing data_batch_2.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin"));
  CHECK_THAT(error_of([&] { load_cifar10(tmp / "no-such-folder"); }),
             Contains("no-such-folder") && Contains("no such folder") && Contains("test_batch.bin"));
}

TEST_CASE("cifar10: a missing file is an error naming it", "[data][cifar10][errors]") {
  TempFolder tmp;
  CHECK_THAT(error_of([&] { read_cifar10_batch(tmp / "data_batch_4.bin", "x"); }),
             Contains("data_batch_4.bin") && Contains("no such file"));
}

TEST_CASE("cifar10: an empty file is an error naming it", "[data][cifar10][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "data_batch_2.bin", "");
  CHECK_THAT(error_of([&] { read_cifar10_batch(tmp / "data_batch_2.bin", "x"); }),
             Contains("data_batch_2.bin") && Contains("empty"));
}

TEST_CASE("cifar10: a size that is not a multiple of 3073 is an error naming the file and the size", "[data][cifar10][errors]") {
  TempFolder tmp;
  std::string bytes = cifar10_bytes(small_cifar(2, 5));
  bytes.pop_back();  // a truncated last record
  write_bytes(tmp / "truncated.bin", bytes);
  CHECK_THAT(error_of([&] { read_cifar10_batch(tmp / "truncated.bin", "x"); }),
             Contains("truncated.bin") && Contains("6145 bytes") && Contains("not a multiple of 3073"));
  write_bytes(tmp / "short.bin", std::string(100, '\0'));
  CHECK_THAT(error_of([&] { read_cifar10_batch(tmp / "short.bin", "x"); }),
             Contains("short.bin") && Contains("not a multiple of 3073"));
}

TEST_CASE("cifar10: a label above 9 is an error naming the file and the record", "[data][cifar10][errors]") {
  TempFolder tmp;
  std::string bytes = cifar10_bytes(small_cifar(3, 6));
  bytes[2 * 3073] = static_cast<char>(10);  // record 2's label byte
  write_bytes(tmp / "bad-label.bin", bytes);
  CHECK_THAT(error_of([&] { read_cifar10_batch(tmp / "bad-label.bin", "x"); }),
             Contains("bad-label.bin") && Contains("label 10 of record 2") && Contains("0-9"));
}

TEST_CASE("cifar10: the writer refuses what the format cannot hold", "[data][cifar10][errors]") {
  Dataset d = small_cifar(2, 7);
  d.labels(1) = 10;
  CHECK_THROWS_AS(cifar10_bytes(d), std::invalid_argument);
  d = small_cifar(2, 7);
  d.X(5, 0) = 1.5;
  CHECK_THROWS_WITH(cifar10_bytes(d), Contains("pixel 5 of image 0"));
  d = small_cifar(2, 7);
  d.X = d.X.rows(0, 783);
  CHECK_THROWS_WITH(cifar10_bytes(d), Contains("3072"));
}
