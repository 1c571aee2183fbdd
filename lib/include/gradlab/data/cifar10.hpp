#pragma once
// CIFAR-10 in its binary format (the "CIFAR-10 binary version" of the data set's page): each
// file is a run of records of 3073 bytes, one per image:
//   1 label byte (0-9), then 3072 pixel bytes: the 1024 red values of the 32 x 32 image row by
//   row, then the 1024 green, then the 1024 blue.
// The folder holds data_batch_1.bin .. data_batch_5.bin (10,000 images each, the training set)
// and test_batch.bin (10,000 images). There is no header: a file's size alone says how many
// records it holds, so it must be a multiple of 3073.
//
// Like the IDX reader (idx.hpp), every error names the file and what is wrong (missing, a
// folder, empty, a size that is not a multiple of 3073, a label above 9) and is a
// std::runtime_error. A file starting with the gzip magic is decompressed first.
//
// A data set read here has 3072 features with pixels divided by 255 (in [0, 1]) in the file's
// order, 10 classes, and image_rows = 96, image_cols = 32: the three colour planes stacked
// (rows 0-31 red, 32-63 green, 64-95 blue), so that feature r * 32 + c is pixel (r, c) of that
// picture, as dataset.hpp promises.
#include "gradlab/data/dataset.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::data {

inline constexpr arma::uword cifar10_pixels = 3 * 32 * 32;            // 3072
inline constexpr arma::uword cifar10_record_bytes = 1 + cifar10_pixels;  // 3073
inline constexpr arma::uword cifar10_classes = 10;

// The five training files in order, then the test file.
const std::vector<std::string>& cifar10_train_files();
inline constexpr const char* cifar10_test_file = "test_batch.bin";

// "airplane", "automobile", ..., "truck": the names of labels 0-9.
const std::vector<std::string>& cifar10_class_names();

// Reads one binary batch file into a data set named `name`.
Dataset read_cifar10_batch(const std::filesystem::path& path, const std::string& name);

struct Cifar10 {
  Dataset train;  // the five training files, in order ("cifar-10 train", 50,000 images)
  Dataset test;   // test_batch.bin ("cifar-10 test", 10,000 images)
};

// Reads the six files of folder. When any is missing, throws one std::runtime_error naming the
// folder and every missing file.
Cifar10 load_cifar10(const std::filesystem::path& folder);

// The binary encoding, the inverse of the reader (for tests and for saving subsets): pixels in
// [0, 1] stored as round(255 x). Throws std::invalid_argument unless X has 3072 rows, every
// pixel lies in [0, 1] and every label is below 10.
std::string cifar10_bytes(const Dataset& data);

// Writes cifar10_bytes(data) to path atomically (io/files.hpp).
void write_cifar10_batch(const Dataset& data, const std::filesystem::path& path);

}  // namespace gradlab::data
