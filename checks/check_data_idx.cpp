// The IDX (MNIST) reader: round trips through raw and gzipped files, and every broken file it
// must refuse with a message naming the file. The tests write their own small files into a
// temporary folder.
#include "gradlab/data/idx.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
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

std::string image_header(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                         std::uint32_t magic = 0x00000803) {
  std::string bytes;
  append_u32(bytes, magic);
  append_u32(bytes, count);
  append_u32(bytes, rows);
  append_u32(bytes, cols);
  return bytes;
}

std::string label_header(std::uint32_t count) {
  std::string bytes;
  append_u32(bytes, 0x00000801);
  append_u32(bytes, count);
  return bytes;
}

// A small data set of images whose pixels are exact multiples of 1/255, as a file holds them.
Dataset small_images(arma::uword count, arma::uword rows, arma::uword cols, std::uint64_t seed) {
  Rng rng(seed);
  Dataset data;
  data.X = arma::round(255.0 * random_uniform(rows * cols, count, rng)) / 255.0;
  data.labels.set_size(count);
  for (arma::uword n = 0; n < count; ++n) data.labels(n) = rng() % 10;
  data.classes = 10;
  data.name = "small";
  data.image_rows = rows;
  data.image_cols = cols;
  return data;
}

}  // namespace

TEST_CASE("idx: raw image and label files round-trip exactly", "[data][idx]") {
  TempFolder tmp;
  const Dataset original = small_images(7, 4, 3, 1);
  write_idx_dataset(original, tmp / "images-idx3-ubyte", tmp / "labels-idx1-ubyte");
  // Raw files: 16 header bytes + one byte per pixel, 8 + one byte per label.
  CHECK(fs::file_size(tmp / "images-idx3-ubyte") == 16 + 7 * 12);
  CHECK(fs::file_size(tmp / "labels-idx1-ubyte") == 8 + 7);
  const Dataset loaded = read_idx_dataset(tmp / "images-idx3-ubyte", tmp / "labels-idx1-ubyte", 10, "loaded");
  CHECK(loaded.name == "loaded");
  CHECK(loaded.classes == 10);
  CHECK(loaded.image_rows == 4);
  CHECK(loaded.image_cols == 3);
  REQUIRE(loaded.X.n_rows == 12);
  REQUIRE(loaded.X.n_cols == 7);
  CHECK(arma::approx_equal(loaded.X, original.X, "absdiff", 1e-15));
  CHECK(arma::all(loaded.labels == original.labels));
}

TEST_CASE("idx: gzipped files round-trip and are recognised by their magic bytes, not their name", "[data][idx][gzip]") {
  TempFolder tmp;
  const Dataset original = small_images(5, 2, 6, 2);
  write_idx_dataset(original, tmp / "images.gz", tmp / "labels.gz");
  const std::string gz = read_file_bytes(tmp / "images.gz");
  CHECK(gz.size() == 16 + 5 * 12);  // decompressed
  std::ifstream in(tmp / "images.gz", std::ios::binary);
  CHECK(in.get() == 0x1f);  // really compressed on disk
  const Dataset loaded = read_idx_dataset(tmp / "images.gz", tmp / "labels.gz", 10, "gz");
  CHECK(arma::approx_equal(loaded.X, original.X, "absdiff", 1e-15));
  CHECK(arma::all(loaded.labels == original.labels));

  // Swap the names: a gzip stream called ".ubyte" and raw bytes called ".gz" read the same.
  write_bytes(tmp / "gzipped-but-named-raw", gzip_bytes(idx_images_bytes(original.X, 2, 6)));
  write_bytes(tmp / "raw-but-named.gz", idx_images_bytes(original.X, 2, 6));
  CHECK(arma::approx_equal(read_idx_images(tmp / "gzipped-but-named-raw").X, original.X, "absdiff", 1e-15));
  CHECK(arma::approx_equal(read_idx_images(tmp / "raw-but-named.gz").X, original.X, "absdiff", 1e-15));
}

TEST_CASE("idx: the header is big-endian, pixels are scaled by 1/255, images are stored row by row", "[data][idx]") {
  TempFolder tmp;
  // Two images of 2 rows x 3 columns, written by hand.
  std::string bytes = image_header(2, 2, 3);
  const unsigned char pixels[] = {0, 255, 128, 1, 2, 3,  // image 0: row 0 then row 1
                                  10, 20, 30, 40, 50, 60};
  bytes.append(reinterpret_cast<const char*>(pixels), sizeof pixels);
  write_bytes(tmp / "hand-images", bytes);
  const IdxImages images = read_idx_images(tmp / "hand-images");
  CHECK(images.rows == 2);
  CHECK(images.cols == 3);
  REQUIRE(images.X.n_rows == 6);
  REQUIRE(images.X.n_cols == 2);
  CHECK(images.X(0, 0) == 0.0);
  CHECK(images.X(1, 0) == 1.0);
  CHECK(images.X(2, 0) == 128.0 / 255.0);
  CHECK(images.X(1 * 3 + 0, 0) == 1.0 / 255.0);  // pixel (row 1, column 0) is feature 3
  CHECK(images.X(1 * 3 + 2, 1) == 60.0 / 255.0);
  CHECK(images.X.min() >= 0.0);
  CHECK(images.X.max() <= 1.0);

  std::string label_bytes = label_header(3);
  label_bytes += std::string{'\x07', '\x00', '\x09'};
  write_bytes(tmp / "hand-labels", label_bytes);
  const arma::uvec labels = read_idx_labels(tmp / "hand-labels", 10);
  REQUIRE(labels.n_elem == 3);
  CHECK(labels(0) == 7);
  CHECK(labels(1) == 0);
  CHECK(labels(2) == 9);
}

TEST_CASE("idx: a missing file is an error naming it", "[data][idx][errors]") {
  TempFolder tmp;
  const std::string message = error_of([&] { read_idx_images(tmp / "t10k-images-idx3-ubyte.gz"); });
  CHECK_THAT(message, Contains("t10k-images-idx3-ubyte.gz") && Contains("no such file"));
}

TEST_CASE("idx: a folder where a file is expected is an error naming it", "[data][idx][errors]") {
  TempFolder tmp;
  fs::create_directories(tmp / "train-images-idx3-ubyte");
  const std::string message = error_of([&] { read_idx_images(tmp / "train-images-idx3-ubyte"); });
  CHECK_THAT(message, Contains("train-images-idx3-ubyte") && Contains("folder"));
}

TEST_CASE("idx: an empty file is an error naming it", "[data][idx][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "empty-images", "");
  write_bytes(tmp / "empty-labels.gz", gzip_bytes(""));  // a valid gzip stream of nothing
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "empty-images"); }),
             Contains("empty-images") && Contains("empty file"));
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "empty-labels.gz", 10); }),
             Contains("empty-labels.gz") && Contains("empty"));
}

TEST_CASE("idx: a wrong magic number is an error naming the file", "[data][idx][errors]") {
  TempFolder tmp;
  std::string labels = label_header(2) + std::string{'\x01', '\x02'};
  write_bytes(tmp / "labels-not-images", labels);
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "labels-not-images"); }),
             Contains("labels-not-images") && Contains("magic number 0x00000801") &&
                 Contains("0x00000803") && Contains("label file"));

  std::string images = image_header(1, 1, 1) + std::string{'\x05'};
  write_bytes(tmp / "images-not-labels", images);
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "images-not-labels", 10); }),
             Contains("images-not-labels") && Contains("magic number 0x00000803"));

  write_bytes(tmp / "a-png.gz", gzip_bytes("\x89PNG\r\n\x1a\n and so on"));
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "a-png.gz"); }),
             Contains("a-png.gz") && Contains("bad magic number 0x89504e47"));
}

TEST_CASE("idx: a truncated header is an error naming the file", "[data][idx][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "short-images", image_header(10, 28, 28).substr(0, 10));
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "short-images"); }),
             Contains("short-images") && Contains("truncated header") && Contains("10 bytes"));
  write_bytes(tmp / "two-bytes", std::string{'\x00', '\x00'});
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "two-bytes", 10); }),
             Contains("two-bytes") && Contains("truncated header"));
  write_bytes(tmp / "short-labels.gz", gzip_bytes(label_header(5).substr(0, 6)));
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "short-labels.gz", 10); }),
             Contains("short-labels.gz") && Contains("truncated header"));
}

TEST_CASE("idx: truncated data is an error saying what the header promised and what follows", "[data][idx][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "t10k-images-idx3-ubyte.gz",
              gzip_bytes(image_header(10000, 28, 28) + std::string(1234, '\x10')));
  CHECK(error_of([&] { read_idx_images(tmp / "t10k-images-idx3-ubyte.gz"); }) ==
        (tmp / "t10k-images-idx3-ubyte.gz").string() +
            ": truncated: header promises 10000 images of 28x28 (7840000 bytes) but only 1234 follow");
  write_bytes(tmp / "few-labels", label_header(10) + std::string(9, '\x01'));
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "few-labels", 10); }),
             Contains("few-labels") && Contains("truncated") && Contains("10 labels") &&
                 Contains("only 9 follow"));
}

TEST_CASE("idx: bytes after the promised data are an error naming the file", "[data][idx][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "long-images", image_header(2, 2, 2) + std::string(8 + 3, '\x01'));
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "long-images"); }),
             Contains("long-images") && Contains("trailing garbage") && Contains("(8 bytes)") &&
                 Contains("3 too many"));
  write_bytes(tmp / "long-labels.gz", gzip_bytes(label_header(2) + std::string(3, '\x01')));
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "long-labels.gz", 10); }),
             Contains("long-labels.gz") && Contains("trailing garbage"));
}

TEST_CASE("idx: dimensions whose product overflows are an error, not a wrapped size", "[data][idx][errors]") {
  TempFolder tmp;
  // 2^22 * 2^21 * 2^21 = 2^64, which wraps to 0 in 64 bits: a reader that multiplied without
  // checking would find "0 bytes promised, 0 bytes present" and accept this header.
  write_bytes(tmp / "wrapping-images", image_header(1u << 22, 1u << 21, 1u << 21));
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "wrapping-images"); }),
             Contains("wrapping-images") && Contains("overflow"));
  write_bytes(tmp / "huge-images", image_header(0xffffffffu, 0xffffffffu, 0xffffffffu) + "abc");
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "huge-images"); }),
             Contains("huge-images") && Contains("overflow"));
  // Large but representable: an honest "truncated", not an attempt to allocate 16 GB.
  write_bytes(tmp / "big-images", image_header(1u << 20, 1u << 7, 1u << 7) + "abc");
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "big-images"); }),
             Contains("big-images") && Contains("truncated") && Contains("only 3 follow"));
}

TEST_CASE("idx: a header that promises no image is an error naming the file", "[data][idx][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "no-images", image_header(0, 28, 28));
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "no-images"); }),
             Contains("no-images") && Contains("0 images of 28x28"));
}

TEST_CASE("idx: a corrupt or truncated gzip stream is an error naming the file", "[data][idx][gzip][errors]") {
  TempFolder tmp;
  const Dataset original = small_images(50, 8, 8, 3);
  const std::string gz = gzip_bytes(idx_images_bytes(original.X, 8, 8));
  REQUIRE(gz.size() > 60);

  std::string corrupt = gz;
  for (std::size_t i = 20; i < 40; ++i) corrupt[i] = static_cast<char>(~corrupt[i]);
  write_bytes(tmp / "corrupt-images.gz", corrupt);
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "corrupt-images.gz"); }),
             Contains("corrupt-images.gz") && Contains("corrupt gzip stream"));

  write_bytes(tmp / "cut-images.gz", gz.substr(0, gz.size() / 2));
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "cut-images.gz"); }),
             Contains("cut-images.gz") && Contains("truncated gzip stream"));

  write_bytes(tmp / "tail-images.gz", gz + "junk after the stream");
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "tail-images.gz"); }),
             Contains("tail-images.gz") && Contains("garbage after the end of the gzip stream"));

  // The CRC at the end covers the data: a changed checksum byte is caught too.
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] = static_cast<char>(~bad_crc[bad_crc.size() - 6]);
  write_bytes(tmp / "crc-images.gz", bad_crc);
  CHECK_THAT(error_of([&] { read_idx_images(tmp / "crc-images.gz"); }),
             Contains("crc-images.gz") && Contains("corrupt gzip stream"));
}

TEST_CASE("idx: image and label counts that disagree are an error naming both files", "[data][idx][errors]") {
  TempFolder tmp;
  const Dataset original = small_images(6, 2, 2, 4);
  write_bytes(tmp / "six-images", idx_images_bytes(original.X, 2, 2));
  write_bytes(tmp / "five-labels", idx_labels_bytes(original.labels.head(5)));
  CHECK_THAT(error_of([&] { read_idx_dataset(tmp / "six-images", tmp / "five-labels", 10, "x"); }),
             Contains("six-images") && Contains("6 images") && Contains("five-labels") &&
                 Contains("5 labels"));
}

TEST_CASE("idx: labels out of range are an error naming the file", "[data][idx][errors]") {
  TempFolder tmp;
  write_bytes(tmp / "labels-with-a-ten", label_header(4) + std::string{'\x01', '\x09', '\x0a', '\x00'});
  CHECK_THAT(error_of([&] { read_idx_labels(tmp / "labels-with-a-ten", 10); }),
             Contains("labels-with-a-ten") && Contains("label 10 of record 2") &&
                 Contains("0-9"));
  // The same file is fine when 11 classes are allowed: the check is against `classes`.
  CHECK(read_idx_labels(tmp / "labels-with-a-ten", 11)(2) == 10);
}
