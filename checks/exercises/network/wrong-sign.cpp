// expect: sign  the output gradient written (onehot - probs) / B, so all four gradients have the wrong sign
#include "exercise.hpp"

exercise::NetworkGrads network_backward(const arma::mat& X, const arma::uvec& labels,
                                        const arma::mat& H, const arma::mat& probs,
                                        const arma::mat& Wy) {
  const double B = static_cast<double>(X.n_cols);
  arma::mat G = -probs;
  for (arma::uword b = 0; b < labels.n_elem; ++b) G(labels(b), b) += 1.0;
  G /= B;
  const arma::mat Gh = (Wy.t() * G) % (1.0 - H % H);
  return {Gh * X.t(), arma::sum(Gh, 1), G * H.t(), arma::sum(G, 1)};
}
