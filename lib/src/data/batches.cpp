#include "gradlab/data/batches.hpp"

#include "gradlab/shape.hpp"

#include <algorithm>
#include <string>

namespace gradlab::data {

std::vector<arma::uvec> epoch_batches(arma::uword n, arma::uword batch_size, Rng& rng,
                                      bool shuffle) {
  require(n > 0 && batch_size > 0, "data::epoch_batches",
          "n is " + std::to_string(n) + " and batch_size is " + std::to_string(batch_size) +
              " (both must be positive)");
  const arma::uvec order =
      shuffle ? random_permutation(n, rng) : arma::regspace<arma::uvec>(0, n - 1);
  std::vector<arma::uvec> batches;
  batches.reserve((n + batch_size - 1) / batch_size);
  for (arma::uword first = 0; first < n; first += batch_size)
    batches.push_back(order.subvec(first, std::min(first + batch_size, n) - 1));
  return batches;
}

Batches::Batches(const Dataset& data, arma::uword batch_size, Rng& rng, bool shuffle)
    : data_(data), batch_size_(batch_size), rng_(rng), shuffle_(shuffle) {
  require(data.size() > 0, "data::Batches", data.name + " is empty");
  require(batch_size > 0 && batch_size <= data.size(), "data::Batches",
          "batch_size is " + std::to_string(batch_size) + " for " + data.name + " of " +
              std::to_string(data.size()) + " samples (need 1 to " +
              std::to_string(data.size()) + ")");
  require(data.labels.n_elem == data.size(), "data::Batches",
          data.name + ": X is " + shape_of(data.X) + " but there are " +
              std::to_string(data.labels.n_elem) + " labels");
}

bool Batches::next(Batch& batch) {
  if (!in_epoch_) {
    epoch_ = epoch_batches(data_.size(), batch_size_, rng_, shuffle_);
    position_ = 0;
    in_epoch_ = true;
  }
  if (position_ == epoch_.size()) {
    in_epoch_ = false;  // the next call starts a new epoch
    return false;
  }
  const arma::uvec& indices = epoch_[position_++];
  batch.X = data_.X.cols(indices);
  batch.labels = data_.labels.elem(indices);
  batch.indices = indices;
  return true;
}

void Batches::restart() { in_epoch_ = false; }

arma::uword Batches::batches_per_epoch() const {
  return (data_.size() + batch_size_ - 1) / batch_size_;
}

}  // namespace gradlab::data
