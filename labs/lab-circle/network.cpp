#include "network.hpp"

#include "gradlab/data/batches.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/metrics.hpp"

#include <chrono>
#include <cmath>
#include <memory>

using namespace gradlab;

namespace lab_circle {

Forward forward(const CircleNet& net, const arma::mat& x, const arma::uvec& labels) {
  Forward f;
  const arma::mat h_tilde = ops::affine_forward(net.W_h, net.b_h, x);  // h~ = W_h x + b_h
  f.h = ops::tanh_forward(h_tilde);                                    // h = tanh(h~)
  f.y_tilde = ops::affine_forward(net.W_y, net.b_y, f.h);              // y~ = W_y h + b_y
  // y^ = softmax(y~) and l = -sum_i y_i log y^_i, fused (Q14: l = -sum_i y_i y~_i + log sum_i e^{y~_i})
  ops::SoftmaxCrossEntropy s = ops::softmax_cross_entropy_forward(f.y_tilde, labels);
  f.y_hat = std::move(s.probs);
  f.loss = s.loss;
  return f;
}

// Q15-Q17, in exact reverse order of the forward:
//   Q15: grad_y~ = (y^ - y) / B                       (the batch mean's 1/B, once, here)
//   Q16: grad_W_y = grad_y~ h^T,   grad_b_y = sum over the batch of grad_y~
//   Q17: grad_h = W_y^T grad_y~,   grad_h~ = grad_h ⊙ (1 - h^2)   (tanh' = 1 - tanh^2)
//        grad_W_h = grad_h~ x^T,   grad_b_h = sum over the batch of grad_h~
// (As the report's text was extracted, Q17 prints (1 - h~) and an extra W_h in grad_b_h; the
// derivative of tanh gives (1 - h^2), and the finite-difference check confirms it.)
Gradients backward(const CircleNet& net, const arma::mat& x, const arma::uvec& labels, const Forward& f) {
  Gradients g;
  const arma::mat dy_tilde = ops::softmax_cross_entropy_backward(f.y_hat, labels);  // Q15
  ops::AffineGrads output = ops::affine_backward(dy_tilde, net.W_y, f.h);          // Q16
  g.dW_y = std::move(output.dW);
  g.db_y = std::move(output.db);
  const arma::mat dh_tilde = ops::tanh_backward(output.dX, f.h);                   // Q17
  ops::AffineGrads hidden = ops::affine_backward(dh_tilde, net.W_h, x);
  g.dW_h = std::move(hidden.dW);
  g.db_h = std::move(hidden.db);
  g.dx = std::move(hidden.dX);
  return g;
}

CircleNet initial_network(std::uint64_t seed) {
  Rng rng(seed);
  CircleNet net{arma::mat(4, 2), arma::vec(4, arma::fill::zeros), arma::mat(2, 4),
                arma::vec(2, arma::fill::zeros)};
  nn::glorot_uniform(net.W_h, rng);
  nn::glorot_uniform(net.W_y, rng);
  return net;
}

arma::uvec network_predict(const CircleNet& net, const arma::mat& points) {
  const arma::mat h = ops::tanh_forward(ops::affine_forward(net.W_h, net.b_h, points));
  return train::predict(ops::affine_forward(net.W_y, net.b_y, h));
}

namespace {

train::Metrics measure(const CircleNet& net, const data::Dataset& set) {
  const Forward f = forward(net, set.X, set.labels);
  return {f.loss, arma::mean(arma::conv_to<arma::vec>::from(train::predict(f.y_hat) == set.labels))};
}

// The hand-written network as a function the checker perturbs: inputs x, W_h, b_h, W_y, b_y;
// forward = [l] (1x1); backward(G) = G(0,0) times the gradients of l.
check::Differentiable differentiable(const CircleNet& net, const data::Dataset& batch) {
  struct State {
    CircleNet net;
    arma::mat x;
    arma::uvec labels;
  };
  auto s = std::make_shared<State>(State{net, batch.X, batch.labels});
  check::Differentiable fn;
  fn.inputs = {{"x", &s->x}, {"W_h", &s->net.W_h}, {"b_h", &s->net.b_h},
               {"W_y", &s->net.W_y}, {"b_y", &s->net.b_y}};
  fn.forward = [s] { return arma::mat(1, 1, arma::fill::value(forward(s->net, s->x, s->labels).loss)); };
  fn.backward = [s](const arma::mat& G) {
    const Gradients g = backward(s->net, s->x, s->labels, forward(s->net, s->x, s->labels));
    const double u = G(0, 0);
    return std::vector<arma::mat>{u * g.dx, u * g.dW_h, u * g.db_h, u * g.dW_y, u * g.db_y};
  };
  fn.owner = s;
  return fn;
}

}  // namespace

NetworkRun train_by_hand(CircleNet net, const data::Dataset& train_set, const data::Dataset& test_set,
                         arma::uword batch_size, double eta, int epochs, std::uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  NetworkRun run;
  train::History& h = run.history;
  Rng rng(seed);
  data::Batches batches(train_set, batch_size, rng);
  arma::uword step = 0;
  auto evaluate = [&](double epoch) {
    train::Evaluation e;
    e.epoch = epoch;
    e.step = step;
    e.learning_rate = eta;
    e.train = measure(net, train_set);
    e.test = measure(net, test_set);
    e.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!h.evaluations.empty() && e.train.loss > h.last().train.loss) ++run.loss_rises;
    h.evaluations.push_back(e);
    if (!std::isfinite(e.train.loss) && h.outcome == train::Outcome::completed) {
      h.outcome = train::Outcome::diverged;
      h.note = "the training loss became " + text::number(e.train.loss) + " at epoch " +
               text::number(epoch);
    }
  };
  evaluate(0);
  data::Batch b;
  for (int epoch = 1; epoch <= epochs && h.outcome == train::Outcome::completed; ++epoch) {
    const auto epoch_start = Clock::now();
    arma::uword in_epoch = 0;  // steps taken in this epoch
    while (batches.next(b)) {
      const Forward f = forward(net, b.X, b.labels);
      if (!std::isfinite(f.loss)) {
        h.outcome = train::Outcome::diverged;
        h.note = "the batch loss became " + text::number(f.loss) + " at epoch " +
                 std::to_string(epoch) + ", step " + std::to_string(step + 1);
        break;
      }
      const Gradients g = backward(net, b.X, b.labels, f);
      net.W_h -= eta * g.dW_h;
      net.b_h -= eta * g.db_h;
      net.W_y -= eta * g.dW_y;
      net.b_y -= eta * g.db_y;
      ++step;
      ++in_epoch;
      if (interrupt_flag()) break;
    }
    if (h.outcome == train::Outcome::diverged) {
      // The last row is where it happened (its loss is not finite; the figures stop before it).
      evaluate(epoch - 1 + static_cast<double>(in_epoch) / static_cast<double>(batches.batches_per_epoch()));
      break;
    }
    evaluate(epoch);
    h.epoch_seconds.push_back(std::chrono::duration<double>(Clock::now() - epoch_start).count());
    if (interrupt_flag()) {
      h.outcome = train::Outcome::interrupted;
      h.note = "stopped on request at epoch " + std::to_string(epoch);
      break;
    }
  }
  run.net = std::move(net);
  return run;
}

data::Dataset check_batch(std::uint64_t seed) {
  Rng rng(seed + 1000);
  return data::make_circles(16, rng);
}

check::CheckResult check_network(const CircleNet& net, const std::string& label, std::uint64_t seed) {
  check::CheckResult r = check::check_vjp(differentiable(net, check_batch(seed)));
  r.label = "2-4-2 by hand, " + label;
  r.shape = "x 2x16, W_h 4x2, b_h 4, W_y 2x4, b_y 2";
  return r;
}

nlohmann::json matrix_json(const arma::mat& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (arma::uword i = 0; i < m.n_rows; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (arma::uword j = 0; j < m.n_cols; ++j) row.push_back(m(i, j));
    rows.push_back(row);
  }
  return rows;
}

arma::mat matrix_from_json(const nlohmann::json& j) {
  arma::mat m(j.size(), j.empty() ? 0 : j[0].size());
  for (arma::uword i = 0; i < m.n_rows; ++i)
    for (arma::uword k = 0; k < m.n_cols; ++k)
      m(i, k) = j[i][k].is_number() ? j[i][k].get<double>() : arma::datum::nan;  // null: not finite
  return m;
}

nlohmann::json network_json(const CircleNet& net) {
  return {{"W_h", matrix_json(net.W_h)}, {"b_h", matrix_json(net.b_h)},
          {"W_y", matrix_json(net.W_y)}, {"b_y", matrix_json(net.b_y)}};
}

CircleNet network_from_json(const nlohmann::json& j) {
  return {matrix_from_json(j["W_h"]), arma::vec(matrix_from_json(j["b_h"])), matrix_from_json(j["W_y"]),
          arma::vec(matrix_from_json(j["b_y"]))};
}

}  // namespace lab_circle
