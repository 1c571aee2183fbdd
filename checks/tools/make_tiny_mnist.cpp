// make_tiny_mnist: writes a small MNIST-shaped data set (the four IDX files, gzipped as they are
// downloaded, or raw with --raw, under the names MNIST uses) for tests that run a lab without
// the real data.
//   make_tiny_mnist DIR [--train N] [--test N] [--seed S] [--raw]
// Each 28 x 28 image of class k (0-9) holds a bright block of 6 x 5 pixels at a place of its own
// (two rows of five places) over uniform noise in [0, 0.3], so a network can learn the classes
// in an epoch or two; labels cycle through 0-9 in a shuffled order.
#include "gradlab/programs/cli.hpp"
#include "gradlab/data/idx.hpp"
#include "gradlab/random.hpp"

#include <filesystem>

using namespace gradlab;

namespace {

data::Dataset tiny_set(arma::uword n, Rng& rng, const std::string& name) {
  data::Dataset d;
  d.name = name;
  d.classes = 10;
  d.image_rows = 28;
  d.image_cols = 28;
  d.X = random_uniform(784, n, rng, 0.0, 0.3);
  const arma::uvec order = random_permutation(n, rng);
  d.labels.set_size(n);
  for (arma::uword i = 0; i < n; ++i) {
    const arma::uword k = order(i) % 10;
    d.labels(i) = k;
    const arma::uword top = 4 + (k / 5) * 12, left = 1 + (k % 5) * 5;
    for (arma::uword r = top; r < top + 6; ++r)
      for (arma::uword c = left; c < left + 5; ++c) d.X(r * 28 + c, i) = 1.0;
  }
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write a tiny MNIST-shaped IDX data set for tests.", "make_tiny_mnist"};
  std::string folder;
  arma::uword n_train = 6000, n_test = 1000;
  std::uint64_t seed = 1;
  bool raw = false;
  app.add_option("folder", folder, "where to write the four files")->required();
  app.add_option("--train", n_train, "training images (default 6000)")->check(CLI::PositiveNumber);
  app.add_option("--test", n_test, "test images (default 1000)")->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "seed of the noise and the label order");
  app.add_flag("--raw", raw, "write the raw files (default: gzipped)");
  return run_main(app, argc, argv, [&] {
    const std::filesystem::path dir(folder);
    std::filesystem::create_directories(dir);
    Rng rng(seed);
    const std::string gz = raw ? "" : ".gz";
    data::write_idx_dataset(tiny_set(n_train, rng, "tiny train"), dir / ("train-images-idx3-ubyte" + gz),
                            dir / ("train-labels-idx1-ubyte" + gz));
    data::write_idx_dataset(tiny_set(n_test, rng, "tiny test"), dir / ("t10k-images-idx3-ubyte" + gz),
                            dir / ("t10k-labels-idx1-ubyte" + gz));
    return 0;
  });
}
