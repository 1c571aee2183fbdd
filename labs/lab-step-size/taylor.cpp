// lab-step-size's Taylor test subjects (see taylor.hpp).
#include "taylor.hpp"

#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/random.hpp"

#include <memory>

using namespace gradlab;

namespace lab_step_size {

namespace {

// The inputs a layer's Differentiable owns.
struct LayerData {
  arma::mat X, gamma, beta;
};

}  // namespace

check::Differentiable tanh_layer(bool right, std::uint64_t seed) {
  auto d = std::make_shared<LayerData>();
  Rng rng(seed);
  d->X = random_normal(4, 5, rng);
  return {{{"X", &d->X}},
          [d] { return ops::tanh_forward(d->X); },
          [d, right](const arma::mat& G) {
            const arma::mat Y = ops::tanh_forward(d->X);
            return std::vector<arma::mat>{right ? ops::tanh_backward(G, Y) : arma::mat(G % (1.0 - Y))};
          },
          d};
}

check::Differentiable batchnorm_layer(bool right, std::uint64_t seed) {
  auto d = std::make_shared<LayerData>();
  Rng rng(seed);
  d->X = random_normal(3, 6, rng);
  d->gamma = 1.0 + 0.3 * random_normal(3, 1, rng);
  d->beta = random_normal(3, 1, rng);
  return {{{"X", &d->X}, {"gamma", &d->gamma}, {"beta", &d->beta}},
          [d] { return ops::batchnorm_forward(d->X, d->gamma, d->beta).Y; },
          [d, right](const arma::mat& G) {
            const ops::BatchNormForward f = ops::batchnorm_forward(d->X, d->gamma, d->beta);
            ops::BatchNormGrads g = ops::batchnorm_backward(G, d->gamma, f.cache);
            if (!right) {
              g.dX = G;
              g.dX.each_col() %= d->gamma % f.cache.inv_std;
            }
            return std::vector<arma::mat>{g.dX, g.dgamma, g.dbeta};
          },
          d};
}

}  // namespace lab_step_size
