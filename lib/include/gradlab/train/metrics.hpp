#pragma once
// Loss and accuracy of a network on a data set, as the training loop records them.
#include "gradlab/data/dataset.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/sequential.hpp"

#include <armadillo>

namespace gradlab::train {

struct Metrics {
  double loss = arma::datum::nan;      // the loss's own reduction (mean over the samples)
  double accuracy = arma::datum::nan;  // fraction of samples whose largest output is the label
};

// The predicted class of each column: the index of its largest output.
arma::uvec predict(const arma::mat& outputs);

// Runs the network in eval mode over the data, `chunk` samples at a time, and restores the mode
// it found. The loss is the mean over all samples (chunk means weighted by chunk size).
// limit > 0 evaluates only the first `limit` samples.
Metrics evaluate(nn::Sequential& net, nn::Loss& loss, const data::Dataset& data,
                 arma::uword chunk = 1000, arma::uword limit = 0);

}  // namespace gradlab::train
