#include "gradlab/data/idx.hpp"

#include "gradlab/io/files.hpp"
#include "gradlab/shape.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace gradlab::data {
namespace {

namespace fs = std::filesystem;

// Every reading error: "<file>: <what is wrong>".
[[noreturn]] void fail(const fs::path& path, const std::string& message) {
  throw std::runtime_error(path.string() + ": " + message);
}

std::string hex32(std::uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

bool starts_with_gzip_magic(const std::string& bytes, std::size_t offset = 0) {
  return bytes.size() >= offset + 2 && static_cast<unsigned char>(bytes[offset]) == 0x1f &&
         static_cast<unsigned char>(bytes[offset + 1]) == 0x8b;
}

// A decompressed file larger than this is not an IDX file we can hold as doubles anyway; the
// limit stops a corrupt or hostile stream from filling the memory.
constexpr std::size_t max_decompressed_bytes = std::size_t{1} << 32;

std::string gunzip(const std::string& compressed, const fs::path& path) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK)  // 15: largest window, +16: gzip wrapper only
    fail(path, "cannot start the gzip decoder (zlib: out of memory)");
  // The last 4 bytes of a gzip member give its size modulo 2^32: a good first guess, when it
  // is believable (deflate never expands more than about 1032 times; a corrupt tail could
  // claim anything).
  std::size_t guess = 1 << 16;
  if (compressed.size() >= 18) {
    const auto* tail = reinterpret_cast<const unsigned char*>(compressed.data()) + compressed.size() - 4;
    const std::size_t size_mod = tail[0] | (tail[1] << 8) | (tail[2] << 16) |
                                 (static_cast<std::size_t>(tail[3]) << 24);
    if (size_mod / 1032 <= compressed.size()) guess = std::max(guess, size_mod + 1);
  }
  std::string out(guess, '\0');
  std::size_t in_used = 0;
  std::size_t out_used = 0;
  std::string problem;
  for (;;) {
    if (out_used == out.size()) {
      if (out.size() >= max_decompressed_bytes) {
        problem = "decompresses to more than " + std::to_string(max_decompressed_bytes >> 30) +
                  " GiB, far more than an IDX file holds";
        break;
      }
      out.resize(std::min(2 * out.size(), max_decompressed_bytes));
    }
    const std::size_t in_left = compressed.size() - in_used;
    const std::size_t out_left = out.size() - out_used;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + in_used));
    stream.avail_in = static_cast<uInt>(std::min<std::size_t>(in_left, UINT_MAX));
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + out_used);
    stream.avail_out = static_cast<uInt>(std::min<std::size_t>(out_left, UINT_MAX));
    const uInt in_given = stream.avail_in;
    const uInt out_given = stream.avail_out;
    const int status = inflate(&stream, Z_NO_FLUSH);
    in_used += in_given - stream.avail_in;
    out_used += out_given - stream.avail_out;
    if (status == Z_STREAM_END) {
      if (in_used == compressed.size()) break;
      // gzip allows several members one after the other; anything else is garbage.
      if (!starts_with_gzip_magic(compressed, in_used)) {
        problem = std::to_string(compressed.size() - in_used) +
                  " bytes of garbage after the end of the gzip stream";
        break;
      }
      inflateReset(&stream);
      continue;
    }
    if (status == Z_DATA_ERROR || status == Z_NEED_DICT) {
      problem = std::string("corrupt gzip stream (zlib: ") +
                (stream.msg ? stream.msg : "invalid data") + ")";
      break;
    }
    if (status == Z_MEM_ERROR) {
      problem = "out of memory while decompressing";
      break;
    }
    // Z_OK or Z_BUF_ERROR: progress was made, or more input is needed.
    if (in_used == compressed.size() && stream.avail_out > 0) {
      problem = "truncated gzip stream: the file ends before the compressed data does";
      break;
    }
  }
  inflateEnd(&stream);
  if (!problem.empty()) fail(path, problem);
  out.resize(out_used);
  return out;
}

std::uint32_t big_endian_u32(const std::string& bytes, std::size_t offset) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data()) + offset;
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

void append_big_endian_u32(std::string& bytes, std::uint64_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<char>((value >> shift) & 0xff));
}

// Checks the magic number and the header's length; returns the header's dimensions.
std::vector<std::uint32_t> read_header(const std::string& bytes, const fs::path& path,
                                       std::uint32_t magic, const char* kind) {
  const std::size_t dimensions = magic & 0xff;
  const std::size_t header_size = 4 + 4 * dimensions;
  if (bytes.size() < 4)
    fail(path, "truncated header: the file holds " + std::to_string(bytes.size()) +
                   " bytes, an IDX " + kind + " header needs " + std::to_string(header_size));
  const std::uint32_t found = big_endian_u32(bytes, 0);
  if (found != magic) {
    std::string message = "bad magic number " + hex32(found) + ", expected " + hex32(magic) +
                          " (IDX " + kind + ": unsigned bytes, " + std::to_string(dimensions) +
                          (dimensions == 1 ? " dimension)" : " dimensions)");
    if (found == idx_labels_magic) message += "; this looks like an IDX label file";
    if (found == idx_images_magic) message += "; this looks like an IDX image file";
    fail(path, message);
  }
  if (bytes.size() < header_size)
    fail(path, "truncated header: the file holds " + std::to_string(bytes.size()) +
                   " bytes, an IDX " + kind + " header needs " + std::to_string(header_size));
  std::vector<std::uint32_t> sizes(dimensions);
  for (std::size_t d = 0; d < dimensions; ++d) sizes[d] = big_endian_u32(bytes, 4 + 4 * d);
  return sizes;
}

// The payload must be exactly what the header promises: no less, no more.
void require_payload(const std::string& bytes, const fs::path& path, std::size_t header_size,
                     std::uint64_t expected, const std::string& promise) {
  const std::uint64_t available = bytes.size() - header_size;
  if (available < expected)
    fail(path, "truncated: header promises " + promise + " (" + std::to_string(expected) +
                   " bytes) but only " + std::to_string(available) + " follow");
  if (available > expected)
    fail(path, "trailing garbage: header promises " + promise + " (" +
                   std::to_string(expected) + " bytes) but " + std::to_string(available) +
                   " follow (" + std::to_string(available - expected) + " too many)");
}

}  // namespace

std::string read_file_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) fail(path, "no such file");
  if (fs::is_directory(status)) fail(path, "is a folder, a file was expected");
  if (!fs::is_regular_file(status)) fail(path, "is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open for reading");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) fail(path, "cannot read its size: " + ec.message());
  if (size == 0) fail(path, "empty file (0 bytes)");
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    fail(path, "read error after " + std::to_string(in.gcount()) + " of " +
                   std::to_string(size) + " bytes");
  if (starts_with_gzip_magic(bytes)) {
    bytes = gunzip(bytes, path);
    if (bytes.empty()) fail(path, "empty file (the gzip stream decompresses to 0 bytes)");
  }
  return bytes;
}

std::string gzip_bytes(const std::string& bytes) {
  z_stream stream{};
  // 15 + 16: the largest window with a gzip wrapper; 8: zlib's default memory level.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("gzip_bytes: cannot start the gzip encoder");
  std::string out;
  std::array<char, 1 << 16> chunk;
  std::size_t in_used = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    const std::size_t in_left = bytes.size() - in_used;
    const uInt in_given = static_cast<uInt>(std::min<std::size_t>(in_left, UINT_MAX));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + in_used));
    stream.avail_in = in_given;
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    const int flush = in_left == in_given ? Z_FINISH : Z_NO_FLUSH;
    status = deflate(&stream, flush);
    if (status == Z_STREAM_ERROR) {
      deflateEnd(&stream);
      throw std::runtime_error("gzip_bytes: the gzip encoder failed");
    }
    in_used += in_given - stream.avail_in;
    out.append(chunk.data(), chunk.size() - stream.avail_out);
  }
  deflateEnd(&stream);
  return out;
}

IdxImages read_idx_images(const std::filesystem::path& path) {
  const std::string bytes = read_file_bytes(path);
  const std::vector<std::uint32_t> sizes = read_header(bytes, path, idx_images_magic, "image");
  const std::uint64_t count = sizes[0], rows = sizes[1], cols = sizes[2];
  const std::string promise = std::to_string(count) + " images of " + std::to_string(rows) +
                              "x" + std::to_string(cols);
  if (count == 0 || rows == 0 || cols == 0)
    fail(path, "header promises " + promise + ": there is no pixel to read");
  // rows * cols < 2^64, but count * rows * cols may wrap around; a wrapped product could even
  // equal the file's size, so the overflow is checked first.
  const std::uint64_t pixels_per_image = rows * cols;
  if (pixels_per_image > std::numeric_limits<std::uint64_t>::max() / count ||
      count * pixels_per_image > std::numeric_limits<arma::uword>::max())
    fail(path, "dimensions overflow: header promises " + promise +
                   ", more bytes than a 64-bit size can count");
  const std::uint64_t expected = count * pixels_per_image;
  require_payload(bytes, path, 16, expected, promise);

  // 256 exact quotients v / 255, looked up instead of dividing 47 million times.
  std::array<double, 256> scaled;
  for (int v = 0; v < 256; ++v) scaled[v] = v / 255.0;
  IdxImages images;
  images.rows = rows;
  images.cols = cols;
  images.X.set_size(pixels_per_image, count);
  // IDX stores image after image, each row by row: exactly the column-major layout of X.
  const auto* pixels = reinterpret_cast<const unsigned char*>(bytes.data()) + 16;
  double* X = images.X.memptr();
  for (std::uint64_t i = 0; i < expected; ++i) X[i] = scaled[pixels[i]];
  return images;
}

arma::uvec read_idx_labels(const std::filesystem::path& path, arma::uword classes) {
  require(classes >= 1 && classes <= 256, "data::read_idx_labels",
          "classes is " + std::to_string(classes) + " (need 1 to 256 for byte labels)");
  const std::string bytes = read_file_bytes(path);
  const std::vector<std::uint32_t> sizes = read_header(bytes, path, idx_labels_magic, "label");
  const std::uint64_t count = sizes[0];
  const std::string promise = std::to_string(count) + " labels";
  if (count == 0) fail(path, "header promises 0 labels: there is nothing to read");
  require_payload(bytes, path, 8, count, promise);

  const auto* values = reinterpret_cast<const unsigned char*>(bytes.data()) + 8;
  arma::uvec labels(count);
  arma::uword out_of_range = 0, first_bad = 0;
  for (std::uint64_t n = 0; n < count; ++n) {
    labels(n) = values[n];
    if (values[n] >= classes && out_of_range++ == 0) first_bad = n;
  }
  if (out_of_range > 0)
    fail(path, "label " + std::to_string(labels(first_bad)) + " of record " +
                   std::to_string(first_bad) + " is out of range: labels must be 0-" +
                   std::to_string(classes - 1) + " (" + std::to_string(classes) + " classes); " +
                   std::to_string(out_of_range) + " of " + std::to_string(count) +
                   " labels are out of range");
  return labels;
}

Dataset read_idx_dataset(const std::filesystem::path& images_path,
                         const std::filesystem::path& labels_path, arma::uword classes,
                         const std::string& name) {
  IdxImages images = read_idx_images(images_path);
  arma::uvec labels = read_idx_labels(labels_path, classes);
  if (images.X.n_cols != labels.n_elem)
    throw std::runtime_error(images_path.string() + " holds " + std::to_string(images.X.n_cols) +
                             " images but " + labels_path.string() + " holds " +
                             std::to_string(labels.n_elem) + " labels (they must match)");
  Dataset data;
  data.X = std::move(images.X);
  data.labels = std::move(labels);
  data.classes = classes;
  data.name = name;
  data.image_rows = images.rows;
  data.image_cols = images.cols;
  check_dataset(data, "data::read_idx_dataset");
  return data;
}

std::string idx_images_bytes(const arma::mat& X, arma::uword rows, arma::uword cols) {
  require(rows > 0 && cols > 0 && rows * cols == X.n_rows, "data::idx_images_bytes",
          "X is " + shape_of(X) + " but images of " + std::to_string(rows) + "x" +
              std::to_string(cols) + " need " + std::to_string(rows * cols) + " rows");
  require(X.n_cols > 0, "data::idx_images_bytes", "X has no column (no image)");
  require(rows <= UINT32_MAX && cols <= UINT32_MAX && X.n_cols <= UINT32_MAX,
          "data::idx_images_bytes", "dimensions do not fit in the 32-bit IDX header");
  std::string bytes;
  bytes.reserve(16 + X.n_elem);
  append_big_endian_u32(bytes, idx_images_magic);
  append_big_endian_u32(bytes, X.n_cols);
  append_big_endian_u32(bytes, rows);
  append_big_endian_u32(bytes, cols);
  for (arma::uword i = 0; i < X.n_elem; ++i) {
    const double x = X(i);
    require(x >= 0.0 && x <= 1.0, "data::idx_images_bytes",
            "pixel " + std::to_string(i % X.n_rows) + " of image " + std::to_string(i / X.n_rows) +
                " is " + std::to_string(x) + " (pixels must lie in [0, 1])");
    bytes.push_back(static_cast<char>(static_cast<unsigned char>(std::lround(255.0 * x))));
  }
  return bytes;
}

std::string idx_labels_bytes(const arma::uvec& labels) {
  require(labels.n_elem > 0 && labels.n_elem <= UINT32_MAX, "data::idx_labels_bytes",
          "there are " + std::to_string(labels.n_elem) + " labels (need 1 to 2^32 - 1)");
  std::string bytes;
  bytes.reserve(8 + labels.n_elem);
  append_big_endian_u32(bytes, idx_labels_magic);
  append_big_endian_u32(bytes, labels.n_elem);
  for (arma::uword n = 0; n < labels.n_elem; ++n) {
    require(labels(n) <= 255, "data::idx_labels_bytes",
            "label " + std::to_string(labels(n)) + " of record " + std::to_string(n) +
                " does not fit in a byte");
    bytes.push_back(static_cast<char>(static_cast<unsigned char>(labels(n))));
  }
  return bytes;
}

void write_idx_dataset(const Dataset& data, const std::filesystem::path& images_path,
                       const std::filesystem::path& labels_path) {
  check_dataset(data, "data::write_idx_dataset");
  require(data.image_rows > 0 && data.image_cols > 0, "data::write_idx_dataset",
          data.name + " has no image shape (image_rows and image_cols are 0)");
  auto encoded = [](const fs::path& path, std::string bytes) {
    return path.extension() == ".gz" ? gzip_bytes(bytes) : bytes;
  };
  io::write_file_atomically(
      images_path, encoded(images_path, idx_images_bytes(data.X, data.image_rows, data.image_cols)));
  io::write_file_atomically(labels_path, encoded(labels_path, idx_labels_bytes(data.labels)));
}

}  // namespace gradlab::data
