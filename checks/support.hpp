#pragma once
// Helpers shared by the checks and the test tools: a temporary folder that cleans up after
// itself, whole-file reads and writes for building broken inputs byte by byte, the message of
// an expected error, random labels, the checker's table of a report, and whether two threads can
// be shown at work.
#include "gradlab/check/print.hpp"
#include "gradlab/fast/blas.hpp"
#include "gradlab/random.hpp"

#include <armadillo>
#include <unistd.h>

#include <algorithm>
#include <exception>

#include <atomic>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gradlab::checks {

// Whether this machine can show the BLAS (and gradlab's loops on its threads) at work on two
// threads: its thread count can be set, and there are two cores.
inline bool two_threads_here() {
  return fast::blas::can_set_threads() && fast::blas::available_threads() >= 2;
}

// The thread counts on which fast code is compared with its reference: one, and every core the
// BLAS may use when two_threads_here().
inline std::vector<int> thread_counts_here() {
  std::vector<int> counts{1};
  if (two_threads_here()) counts.push_back(fast::blas::available_threads());
  return counts;
}

// Same shape and the same bits in every entry (so NaN equals NaN and -0 differs from +0).
inline bool same_bits(const arma::mat& a, const arma::mat& b) {
  return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
         std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(double)) == 0;
}

// A fresh folder under the system's temporary directory, removed with everything in it.
struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("gradlab-check-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

// The whole file as bytes; throws std::runtime_error naming it when it cannot be read.
inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Writes bytes as the whole file (making its folder when needed); throws std::runtime_error
// naming it when it cannot be written.
inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error(path.string() + ": cannot be written");
}

// Appends value as 4 big-endian bytes (IDX headers).
inline void append_u32(std::string& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>((value >> shift) & 0xff));
}

// The message of the E the call throws ("no error" when it throws nothing). Another exception
// passes through, and the test fails on it: error_of<std::invalid_argument>(...) asks for a
// refused argument, not just any error.
template <class E = std::exception, class F>
std::string error_of(F&& call) {
  try {
    call();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

// B labels drawn uniformly from 0 .. classes - 1.
inline arma::uvec random_labels(arma::uword classes, arma::uword B, Rng& rng) {
  arma::uvec labels(B);
  for (auto& l : labels)
    l = std::min(classes - 1, static_cast<arma::uword>(uniform01(rng) * static_cast<double>(classes)));
  return labels;
}

// The checker's table of one report (check::print_table), for a test's INFO.
inline std::string table_of(const check::CheckResult& report) {
  std::ostringstream out;
  check::print_table(out, {report});
  return out.str();
}

}  // namespace gradlab::checks
