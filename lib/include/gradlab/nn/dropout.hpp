#pragma once
// Inverted dropout, calling ops::dropout_forward / dropout_backward.
// Derivation: docs/derivations/dropout.md.
//
// Train mode: each forward draws a fresh mask from the layer's own generator (seeded at
// construction), mask = 1[u >= p] / (1 - p), and backward reuses that mask: dX = dY ⊙ mask.
// Eval mode: the identity (the 1 / (1 - p) scaling at training time keeps the expected
// activation the same, so nothing is rescaled here).
//
// Frozen mask, for gradient checks: a finite-difference check runs forward many times and
// compares the outputs, so every forward must drop the same units. set_frozen_mask(true) saves
// the generator's current state; from then on each train-mode forward draws its mask from a
// copy of that saved state, so the same batch shape gets the same mask every time.
// set_frozen_mask(false) goes back to fresh masks, continuing the generator from where it was
// when the mask was frozen. nn::differentiable (nn/differentiable.hpp) freezes every Dropout it
// checks and unfreezes it afterwards.
#include "gradlab/nn/layer.hpp"
#include "gradlab/random.hpp"

#include <cstdint>
#include <optional>

namespace gradlab::nn {

class Dropout : public Layer {
 public:
  // p in [0, 1): the probability of dropping each element.
  Dropout(double p, std::uint64_t seed);

  // X: D x B -> Y = X ⊙ mask (train) or Y = X (eval).  Caches the mask.
  arma::mat forward(const arma::mat& X) override;

  // dY: D x B -> dX = dY ⊙ mask (train, the last forward's mask) or dX = dY (eval).
  arma::mat backward(const arma::mat& dY) override;

  std::string name() const override;  // "Dropout(0.5)"
  double p() const { return p_; }

  void set_frozen_mask(bool frozen);
  bool frozen_mask() const { return frozen_.has_value(); }

  // The last train-mode forward's mask: 0 where dropped, 1 / (1 - p) where kept.
  const arma::mat& mask() const { return mask_; }

 private:
  double p_;
  Rng rng_;
  std::optional<Rng> frozen_;       // the saved generator state while the mask is frozen
  arma::mat mask_;
  arma::uword rows_ = 0, cols_ = 0; // the last forward's shape
  Mode cached_mode_ = Mode::train;
};

}  // namespace gradlab::nn
