// make_idx_seeds DIR: the seed corpus of idx_fuzzer (see its input format): small valid image,
// label and data-set files, raw and gzipped, and a few broken ones, so that the fuzzer starts
// from every branch of the reader.
#include "gradlab/data/idx.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace fs = std::filesystem;
using namespace gradlab;

namespace {

std::string prefix(unsigned mode, unsigned param, std::size_t image_bytes = 0) {
  return {static_cast<char>(mode), static_cast<char>(param), static_cast<char>((image_bytes >> 8) & 0xff),
          static_cast<char>(image_bytes & 0xff)};
}

void append_u32(std::string& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>((value >> shift) & 0xff));
}

std::string header(std::uint32_t magic, std::initializer_list<std::uint32_t> sizes) {
  std::string bytes;
  append_u32(bytes, magic);
  for (std::uint32_t s : sizes) append_u32(bytes, s);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_idx_seeds DIR\n";
    return 2;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  int count = 0;
  auto seed = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    ++count;
  };
  // Three 4x4 images (pixels k / 255) and their labels.
  arma::mat X(16, 3);
  for (arma::uword i = 0; i < X.n_elem; ++i) X(i) = static_cast<double>((i * 37) % 256) / 255.0;
  const arma::uvec y = {3, 0, 9};
  const std::string images = data::idx_images_bytes(X, 4, 4), labels = data::idx_labels_bytes(y);
  const std::string images_gz = data::gzip_bytes(images), labels_gz = data::gzip_bytes(labels);

  seed("images-raw", prefix(0, 0) + images);
  seed("images-gz", prefix(0, 0) + images_gz);
  seed("images-1x1", prefix(0, 0) + header(data::idx_images_magic, {1, 1, 1}) + "\x80");
  seed("images-two-gzip-members", prefix(0, 0) + data::gzip_bytes(images.substr(0, 20)) + data::gzip_bytes(images.substr(20)));
  seed("labels-raw", prefix(1, 9) + labels);
  seed("labels-gz", prefix(1, 9) + labels_gz);
  seed("labels-two-classes", prefix(1, 1) + header(data::idx_labels_magic, {4}) + std::string{0, 1, 1, 0});
  seed("dataset-raw", prefix(2, 0, images.size()) + images + labels);
  seed("dataset-gz", prefix(2, 0, images_gz.size()) + images_gz + labels_gz);
  // Broken: each is refused by one check of the reader.
  seed("broken-truncated-header", prefix(0, 0) + images.substr(0, 10));
  seed("broken-truncated-data", prefix(0, 0) + images.substr(0, images.size() - 5));
  seed("broken-trailing", prefix(1, 9) + labels + "xyz");
  seed("broken-wrong-magic", prefix(0, 0) + labels);
  seed("broken-overflow", prefix(0, 0) + header(data::idx_images_magic, {1u << 22, 1u << 21, 1u << 21}));
  seed("broken-zero-images", prefix(0, 0) + header(data::idx_images_magic, {0, 28, 28}));
  std::string corrupt = images_gz;
  for (std::size_t i = 12; i < 20; ++i) corrupt[i] = static_cast<char>(~corrupt[i]);
  seed("broken-corrupt-gzip", prefix(0, 0) + corrupt);
  seed("broken-truncated-gzip", prefix(1, 9) + labels_gz.substr(0, labels_gz.size() / 2));
  seed("broken-empty-gzip", prefix(0, 0) + data::gzip_bytes(""));
  seed("broken-label-out-of-range", prefix(1, 2) + labels);
  seed("broken-counts-disagree", prefix(2, 0, images.size()) + images + data::idx_labels_bytes(y.head(2)));
  std::cout << count << " seeds written to " << dir.string() << '\n';
  return 0;
}
