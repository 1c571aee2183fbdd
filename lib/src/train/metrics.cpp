#include "gradlab/train/metrics.hpp"

#include "gradlab/shape.hpp"

#include <algorithm>

namespace gradlab::train {

arma::uvec predict(const arma::mat& outputs) { return arma::index_max(outputs, 0).t(); }

Metrics evaluate(nn::Sequential& net, nn::Loss& loss, const data::Dataset& data,
                 arma::uword chunk, arma::uword limit) {
  require(chunk > 0, "evaluate", "chunk must be positive");
  const arma::uword n = limit > 0 ? std::min(limit, data.size()) : data.size();
  require(n > 0, "evaluate", data.name + " is empty");
  const nn::Mode mode = net.mode();
  net.set_mode(nn::Mode::eval);
  double loss_sum = 0.0;
  arma::uword correct = 0;
  for (arma::uword first = 0; first < n; first += chunk) {
    const arma::uword last = std::min(n, first + chunk) - 1;
    const arma::mat outputs = net.forward(data.X.cols(first, last));
    const arma::uvec labels = data.labels.subvec(first, last);
    loss_sum += loss.forward(outputs, labels) * static_cast<double>(labels.n_elem);
    correct += arma::accu(predict(outputs) == labels);
  }
  net.set_mode(mode);
  return {loss_sum / static_cast<double>(n), static_cast<double>(correct) / static_cast<double>(n)};
}

}  // namespace gradlab::train
