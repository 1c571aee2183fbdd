#pragma once
// The network of report 004, by hand: n_x = 2 inputs, n_h = 4 tanh units, n_y = 2 softmax
// outputs, each step of its forward (Q7) and backward (Q15-Q17) an op of gradlab::ops, trained
// by plain gradient descent. Columns are samples: x is 2 x B.
//   Q7 forward:   h~ = W_h x + b_h,   h = tanh(h~),   y~ = W_y h + b_y,   y^ = softmax(y~)
//   loss:         l = mean over the batch of  -sum_i y_i log y^_i   (y one-hot)
#include "gradlab/check/checker.hpp"
#include "gradlab/data/dataset.hpp"
#include "gradlab/train/history.hpp"

#include <armadillo>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace lab_circle {

struct CircleNet {
  arma::mat W_h;  // n_h x n_x = 4 x 2
  arma::vec b_h;  // 4
  arma::mat W_y;  // n_y x n_h = 2 x 4
  arma::vec b_y;  // 2
};

// What the backward needs from the forward.
struct Forward {
  arma::mat h;       // 4 x B, tanh(h~)
  arma::mat y_tilde; // 2 x B, the logits
  arma::mat y_hat;   // 2 x B, softmax(y~)
  double loss = 0.0; // mean cross-entropy over the batch
};

Forward forward(const CircleNet& net, const arma::mat& x, const arma::uvec& labels);

struct Gradients {
  arma::mat dx;             // 2 x B (for the check: the input gets a gradient too)
  arma::mat dW_h, dW_y;
  arma::vec db_h, db_y;
};

// Q15-Q17 (network.cpp spells out each equation).
Gradients backward(const CircleNet& net, const arma::mat& x, const arma::uvec& labels, const Forward& f);

// Glorot-uniform weights, zero biases, drawn from the seed: every run of a seed starts from the
// same network, so the runs differ only in how they descend.
CircleNet initial_network(std::uint64_t seed);

// The class the network gives each point (2 x n): the larger of its two outputs.
arma::uvec network_predict(const CircleNet& net, const arma::mat& points);

// Training by hand: plain gradient descent, theta <- theta - eta grad_theta l, on batches of
// `batch` samples reshuffled every epoch (1: online, the set's size: full batch), the batches
// drawn from the seed. The loss and accuracy are measured on the whole training and test sets
// before training (epoch 0) and after every epoch. A loss that is not finite stops the run,
// marked "diverged"; Ctrl-C stops it after the current step, marked "interrupted".
struct NetworkRun {
  gradlab::train::History history;
  CircleNet net;
  int loss_rises = 0;  // epochs after which the training loss was higher than before
};
NetworkRun train_by_hand(CircleNet net, const gradlab::data::Dataset& train_set,
                         const gradlab::data::Dataset& test_set, arma::uword batch_size, double eta,
                         int epochs, std::uint64_t seed);

// The 16 points of the lab's gradient checks, drawn from seed + 1000.
gradlab::data::Dataset check_batch(std::uint64_t seed);

// The hand-written backward against central finite differences (every element of x, W_h, b_h,
// W_y and b_y) on check_batch(seed), at the weights of net; label says which weights.
gradlab::check::CheckResult check_network(const CircleNet& net, const std::string& label, std::uint64_t seed);

// Weights as JSON, rows of numbers, and back: the merge rebuilds a trained model from its cell's
// cell.json (JSON keeps every bit of a finite double; a value that is not finite comes back NaN).
nlohmann::json matrix_json(const arma::mat& m);
arma::mat matrix_from_json(const nlohmann::json& j);
nlohmann::json network_json(const CircleNet& net);
CircleNet network_from_json(const nlohmann::json& j);

}  // namespace lab_circle
