// make_tiny_mnist_b DIR: writes a tiny MNIST-shaped data set (the four IDX files, raw) into DIR,
// for the labs' tests: 28 x 28 images, 10 classes, each class a bright 8 x 8 square at its own
// place on a 4 x 3 grid of positions, over faint noise, so a linear model can learn it.
#include "gradlab/cli.hpp"
#include "gradlab/data/idx.hpp"
#include "gradlab/random.hpp"

#include <filesystem>
#include <string>

using namespace gradlab;

namespace {

data::Dataset tiny_set(arma::uword count, Rng& rng, const std::string& name) {
  data::Dataset d;
  d.X = 0.2 * random_uniform(784, count, rng);  // faint noise everywhere
  d.labels.set_size(count);
  for (arma::uword n = 0; n < count; ++n) {
    const arma::uword label = n % 10;  // balanced classes
    d.labels(n) = label;
    // The square's top-left corner: column 1, 10 or 19 and row 1, 7, 13 or 19, by label,
    // shifted by up to 1 pixel at random.
    const arma::uword row = 1 + 6 * (label / 3) + rng() % 2;
    const arma::uword col = 1 + 9 * (label % 3) + rng() % 2;
    for (arma::uword r = row; r < row + 8; ++r)
      for (arma::uword c = col; c < col + 8; ++c) d.X(r * 28 + c, n) = 0.8 + 0.2 * uniform01(rng);
  }
  d.classes = 10;
  d.name = name;
  d.image_rows = 28;
  d.image_cols = 28;
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes a tiny MNIST-shaped data set (four IDX files) for tests.", "make_tiny_mnist_b"};
  std::string folder;
  arma::uword train = 600, test = 200;
  std::uint64_t seed = 1;
  app.add_option("folder", folder, "where to write the four files")->required();
  app.add_option("--train", train, "training images (default 600)")->check(CLI::Range(10, 60000));
  app.add_option("--test", test, "test images (default 200)")->check(CLI::Range(10, 10000));
  app.add_option("--seed", seed, "seed of the noise and the shifts");
  return run_main(app, argc, argv, [&] {
    Rng rng(seed);
    const std::filesystem::path dir(folder);
    data::write_idx_dataset(tiny_set(train, rng, "tiny train"), dir / "train-images-idx3-ubyte",
                            dir / "train-labels-idx1-ubyte");
    data::write_idx_dataset(tiny_set(test, rng, "tiny test"), dir / "t10k-images-idx3-ubyte",
                            dir / "t10k-labels-idx1-ubyte");
    return 0;
  });
}
