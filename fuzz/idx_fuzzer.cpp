// libFuzzer target for the IDX reader (data/idx.hpp). An input is a 4-byte prefix and a file:
//   byte 0  mode: 0 read_idx_images, 1 read_idx_labels, 2 read_idx_dataset (0-2, modulo 3)
//   byte 1  mode 1: classes - 1 (1 to 256 classes)
//   bytes 2-3  mode 2: how many of the remaining bytes are the image file (big-endian; the rest
//           is the label file)
//   the rest  the file's bytes, raw IDX or gzip, as they would be on disk
// The reader may refuse a file only with std::runtime_error (or std::invalid_argument, which
// read_idx_dataset's data check throws); anything else (another exception, a crash, a leak, a
// sanitizer report) is a finding. What it accepts must be consistent: pixels in [0, 1], one
// column per image of rows x cols pixels, labels below the number of classes, as many labels as
// images.
#include "gradlab/data/idx.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace {

namespace fs = std::filesystem;

// A folder of this process for the files the reader opens, removed at exit.
struct Scratch {
  fs::path folder;
  Scratch() {
    folder = fs::temp_directory_path() / ("gradlab-idx-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(folder);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

const fs::path& scratch_folder() {
  static Scratch scratch;
  return scratch.folder;
}

void write_file(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
  std::fclose(file);
}

void require(bool property) {
  if (!property) __builtin_trap();  // an accepted file broke a promise of the reader
}

void check_images(const gradlab::data::IdxImages& images) {
  require(images.rows > 0 && images.cols > 0 && images.X.n_cols > 0);
  require(images.X.n_rows == images.rows * images.cols);
  require(images.X.min() >= 0.0 && images.X.max() <= 1.0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const unsigned mode = data[0] % 3;
  const arma::uword classes = arma::uword{data[1]} + 1;
  const std::size_t image_bytes = std::min<std::size_t>((std::size_t{data[2]} << 8) | data[3], size - 4);
  data += 4;
  size -= 4;
  const fs::path images = scratch_folder() / "images", labels = scratch_folder() / "labels";
  try {
    if (mode == 0) {
      write_file(images, data, size);
      check_images(gradlab::data::read_idx_images(images));
    } else if (mode == 1) {
      write_file(labels, data, size);
      const arma::uvec read = gradlab::data::read_idx_labels(labels, classes);
      require(read.n_elem > 0 && read.max() < classes);
    } else {
      write_file(images, data, image_bytes);
      write_file(labels, data + image_bytes, size - image_bytes);
      const gradlab::data::Dataset d = gradlab::data::read_idx_dataset(images, labels, 10, "fuzz");
      require(d.X.n_cols == d.labels.n_elem && d.X.n_cols > 0);
      require(d.X.n_rows == d.image_rows * d.image_cols);
      require(d.X.is_finite() && d.labels.max() < 10);
    }
  } catch (const std::runtime_error&) {
    // a refused file: what the reader must do with a broken one
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
