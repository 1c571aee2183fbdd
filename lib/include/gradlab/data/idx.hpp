#pragma once
// The IDX format of MNIST: a big-endian header, then unsigned bytes.
//   images: magic 0x00000803, count, rows, cols, then count * rows * cols pixels, row by row
//   labels: magic 0x00000801, count, then count labels
// Files may be gzip-compressed or raw; which one is decided by the first two bytes (the gzip
// magic 1f 8b), not by the name. Every check names the file and what is wrong: a missing file,
// a folder, an empty file, a corrupt or truncated gzip stream, a wrong magic number, a truncated
// header, dimensions whose product overflows, fewer or more bytes than the header promises,
// labels out of range, image and label counts that disagree. All of them throw
// std::runtime_error.
#include "gradlab/data/dataset.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace gradlab::data {

inline constexpr std::uint32_t idx_images_magic = 0x00000803;  // unsigned bytes, 3 dimensions
inline constexpr std::uint32_t idx_labels_magic = 0x00000801;  // unsigned bytes, 1 dimension

// The bytes of a file, decompressed when they start with the gzip magic.
std::string read_file_bytes(const std::filesystem::path& path);

// gzip-compresses bytes (for writing .gz files and for tests).
std::string gzip_bytes(const std::string& bytes);

struct IdxImages {
  arma::mat X;  // (rows * cols) x count, pixels divided by 255 so they lie in [0, 1]
  arma::uword rows = 0;
  arma::uword cols = 0;
};

// Reads an IDX image file. Column n of X is image n, row by row.
IdxImages read_idx_images(const std::filesystem::path& path);

// Reads an IDX label file; every label must be below `classes` (10 for MNIST: labels 0-9).
arma::uvec read_idx_labels(const std::filesystem::path& path, arma::uword classes);

// Reads an image file and its label file into one data set, checking that the counts agree.
Dataset read_idx_dataset(const std::filesystem::path& images_path,
                         const std::filesystem::path& labels_path, arma::uword classes,
                         const std::string& name);

// The IDX encodings, the inverse of the readers: pixels in [0, 1] are stored as
// round(255 * x). X: (rows * cols) x count. Throws std::invalid_argument for pixels outside
// [0, 1], labels above 255, or rows * cols != X.n_rows.
std::string idx_images_bytes(const arma::mat& X, arma::uword rows, arma::uword cols);
std::string idx_labels_bytes(const arma::uvec& labels);

// Writes a data set of images as two IDX files, gzip-compressed when a name ends in ".gz",
// each atomically (io/files.hpp). Used to save a small subset and by the tests.
void write_idx_dataset(const Dataset& data, const std::filesystem::path& images_path,
                       const std::filesystem::path& labels_path);

}  // namespace gradlab::data
