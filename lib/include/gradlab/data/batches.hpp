#pragma once
// Mini-batches, reshuffled every epoch from a seeded generator. A batch size of 1 is online SGD,
// the data set's size is full-batch gradient descent; in between, every batch has batch_size
// samples except the last of an epoch, which holds what is left (it may be smaller).
//
//   data::Batches batches(train, 64, rng);
//   data::Batch batch;
//   for (int epoch = 0; epoch < epochs; ++epoch)
//     while (batches.next(batch)) step(batch.X, batch.labels);   // batch.X: features x B
#include "gradlab/data/dataset.hpp"
#include "gradlab/random.hpp"

#include <vector>

namespace gradlab::data {

// The index lists of one epoch: a random permutation of 0 .. n-1 (drawn from rng) cut into
// consecutive pieces of batch_size (the last piece may be smaller). With shuffle false, the
// order is 0 .. n-1 and rng is not used (for evaluation). Throws std::invalid_argument if n or
// batch_size is 0.
std::vector<arma::uvec> epoch_batches(arma::uword n, arma::uword batch_size, Rng& rng,
                                      bool shuffle = true);

struct Batch {
  arma::mat X;          // features x B
  arma::uvec labels;    // B
  arma::uvec indices;   // B: the columns of the data set these samples are
};

// Walks through a data set one batch at a time. Holds references: the data set and the
// generator must outlive it.
class Batches {
 public:
  // Throws std::invalid_argument if data is empty or batch_size is 0 or larger than data.size().
  Batches(const Dataset& data, arma::uword batch_size, Rng& rng, bool shuffle = true);
  // A temporary data set would be gone before the first batch: name it first.
  Batches(Dataset&& data, arma::uword batch_size, Rng& rng, bool shuffle = true) = delete;

  // Fills batch with the next batch of the epoch and returns true; returns false (leaving batch
  // as it was) once the epoch is over. The call after that starts a new epoch, with an order
  // drawn afresh from the generator.
  bool next(Batch& batch);

  // Abandons what remains of the current epoch; the next call to next() starts a new one.
  void restart();

  arma::uword batch_size() const { return batch_size_; }
  arma::uword batches_per_epoch() const;  // ceil(N / batch_size)

 private:
  const Dataset& data_;
  arma::uword batch_size_;
  Rng& rng_;
  bool shuffle_;
  std::vector<arma::uvec> epoch_;  // the batches of the current epoch
  arma::uword position_ = 0;       // the next batch to hand out; == epoch_.size() when done
  bool in_epoch_ = false;
};

}  // namespace gradlab::data
