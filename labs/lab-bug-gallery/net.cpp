// lab-bug-gallery's network, Net: its forward pass (always right), its backward pass (with the
// bug its BugInfo names), its stages for the bisection, and what net.hpp offers on top of it:
// the network as the checker sees it, and a training run.
#include "net.hpp"

#include "gradlab/nn/init.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/random.hpp"
#include "gradlab/train/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

using namespace gradlab;

namespace lab_bug_gallery {

namespace {

constexpr arma::uword hidden = 16;  // units of each hidden layer
constexpr double momentum = 0.9;    // training's, and the momentum-in-grad bug's

// The network: forward (always right) and backward (with the bug).
class Net {
 public:
  Net(const BugInfo& info, std::uint64_t seed) : info_(info), dropout_rng_(seed + 101), backward_rng_(seed + 202) {
    Rng rng(seed);
    W1 = arma::mat(hidden, 2);
    W2 = arma::mat(hidden, hidden);
    W3 = arma::mat(2, hidden);
    for (arma::mat* W : {&W1, &W2, &W3}) {
      if (info.runtime_scale)
        *W = random_uniform(W->n_rows, W->n_cols, rng, -1.0, 1.0);  // V; the layer uses scale * V
      else
        nn::glorot_uniform(*W, rng);
    }
    b1.zeros(hidden, 1);
    b2.zeros(hidden, 1);
    b3.zeros(2, 1);
    gamma.ones(hidden, 1);
    beta.zeros(hidden, 1);
    for (const auto& [name, p] : parameters()) grads_.push_back(arma::zeros(arma::size(*p)));
    mask_seed_ = seed + 303;
  }

  std::vector<std::pair<std::string, arma::mat*>> parameters() {
    std::vector<std::pair<std::string, arma::mat*>> p{{"W1", &W1}, {"b1", &b1}};
    if (info_.batchnorm) {
      p.push_back({"gamma", &gamma});
      p.push_back({"beta", &beta});
    }
    for (auto q : std::vector<std::pair<std::string, arma::mat*>>{{"W2", &W2}, {"b2", &b2}, {"W3", &W3}, {"b3", &b3}})
      p.push_back(q);
    return p;
  }

  // Every forward of a gradient check must drop the same units: the mask is then drawn from
  // the same seed each time. Training draws a fresh mask per step.
  void set_frozen_mask(bool frozen) { frozen_ = frozen; }

  double forward(const arma::mat& X, const arma::uvec& labels, bool training = true) {
    X_ = X;
    labels_ = labels;
    Z1_ = linear(W1, b1, X);
    if (info_.batchnorm) {
      ops::BatchNormForward f = ops::batchnorm_forward(Z1_, gamma.col(0), beta.col(0));
      N1_ = f.Y;
      bn_ = f.cache;
    } else {
      N1_ = Z1_;
    }
    A1_ = activation(N1_);
    if (info_.dropout > 0.0 && training) {
      Rng frozen_rng(mask_seed_);
      mask_ = draw_mask(A1_.n_rows, A1_.n_cols, frozen_ ? frozen_rng : dropout_rng_);
      D1_ = A1_ % mask_;
    } else {
      mask_.ones(arma::size(A1_));
      D1_ = A1_;
    }
    Z2_ = linear(W2, b2, D1_);
    A2_ = activation(Z2_);
    logits_ = linear(W3, b3, A2_);
    const ops::SoftmaxCrossEntropy ce = ops::softmax_cross_entropy_forward(logits_, labels);
    probs_ = ce.probs;
    return ce.loss;
  }

  const arma::mat& logits() const { return logits_; }

  // {dX, then one gradient per parameter()}, the parameter gradients as stored (with the bugs
  // that keep old values, what the buffers hold after this call).
  Mats backward() {
    const arma::mat dlogits = loss_backward(probs_);
    arma::mat dW3, db3, dW2, db2, dW1, db1, dgamma, dbeta;
    const arma::mat dA2 = linear_backward(dlogits, W3, A2_, dW3, db3, false);
    const arma::mat dZ2 = activation_backward(dA2, Z2_, A2_);
    const arma::mat dD1 = linear_backward(dZ2, W2, D1_, dW2, db2, info_.bug == Bug::missing_transpose);
    const arma::mat dA1 = dropout_backward(dD1);
    const arma::mat dN1 = activation_backward(dA1, N1_, A1_);
    arma::mat dZ1 = dN1;
    if (info_.batchnorm) {
      const ops::BatchNormGrads g = batchnorm_backward(dN1, bn_);
      dZ1 = g.dX;
      dgamma = g.dgamma;
      dbeta = g.dbeta;
    }
    const arma::mat dX = linear_backward(dZ1, W1, X_, dW1, db1, false);

    Mats fresh{dW1, db1};
    if (info_.batchnorm) {
      fresh.push_back(dgamma);
      fresh.push_back(dbeta);
    }
    for (const arma::mat& g : {dW2, db2, dW3, db3}) fresh.push_back(g);
    for (std::size_t k = 0; k < fresh.size(); ++k) {
      if (info_.bug == Bug::no_zero_grad)
        grads_[k] += fresh[k];  // the bug: never zeroed between backward calls
      else if (info_.bug == Bug::momentum_in_grad)
        grads_[k] = fresh[k] + momentum * grads_[k];  // the bug: the velocity lives in the gradient
      else
        grads_[k] = fresh[k];
    }
    Mats out{dX};
    for (const arma::mat& g : grads_) out.push_back(g);
    return out;
  }

  // The network's stages, in forward order, as checkable functions of the inputs the last
  // forward pass gave each one, with this network's backward (and its bug): the bisection
  // re-checks them one by one to find the first that is wrong on its own.
  std::vector<std::pair<std::string, check::Differentiable>> stages() const {
    auto net = std::make_shared<Net>(*this);
    std::vector<std::pair<std::string, check::Differentiable>> s;
    auto add = [&](std::string name, std::vector<std::pair<std::string, arma::mat>> inputs,
                   std::function<arma::mat(Net&, const Mats&)> forward,
                   std::function<Mats(Net&, const arma::mat&, const Mats&)> backward) {
      auto values = std::make_shared<Mats>();
      for (const auto& input : inputs) values->push_back(input.second);
      check::Differentiable fn;
      for (std::size_t k = 0; k < inputs.size(); ++k) fn.inputs.push_back({inputs[k].first, &(*values)[k]});
      fn.forward = [net, values, forward] { return forward(*net, *values); };
      fn.backward = [net, values, backward](const arma::mat& G) { return backward(*net, G, *values); };
      fn.owner = values;
      fn.batch = X_.n_cols;
      s.push_back({std::move(name), std::move(fn)});
    };
    auto linear_stage = [&](const std::string& name, const arma::mat& W, const arma::mat& b, const arma::mat& X,
                            bool missing_transpose) {
      add(name, {{"W", W}, {"b", b}, {"X", X}},
          [](Net& n, const Mats& v) { return n.linear(v[0], v[1], v[2]); },
          [missing_transpose](Net& n, const arma::mat& G, const Mats& v) {
            arma::mat dW, db;
            const arma::mat dX = n.linear_backward(G, v[0], v[2], dW, db, missing_transpose);
            return Mats{dW, db, dX};
          });
    };
    auto activation_stage = [&](const std::string& name, const arma::mat& Z) {
      add(name, {{"Z", Z}}, [](Net& n, const Mats& v) { return n.activation(v[0]); },
          [](Net& n, const arma::mat& G, const Mats& v) {
            return Mats{n.activation_backward(G, v[0], n.activation(v[0]))};
          });
    };
    linear_stage("linear 1", W1, b1, X_, false);
    if (info_.batchnorm)
      add("batch norm", {{"Z", Z1_}, {"gamma", gamma}, {"beta", beta}},
          [](Net&, const Mats& v) { return ops::batchnorm_forward(v[0], v[1].col(0), v[2].col(0)).Y; },
          [](Net& n, const arma::mat& G, const Mats& v) {
            const ops::BatchNormGrads g =
                n.batchnorm_backward(G, ops::batchnorm_forward(v[0], v[1].col(0), v[2].col(0)).cache, v[1]);
            return Mats{g.dX, g.dgamma, g.dbeta};
          });
    activation_stage("activation 1", N1_);
    if (info_.dropout > 0.0)
      add("dropout", {{"A", A1_}}, [](Net& n, const Mats& v) { return arma::mat(v[0] % n.mask_); },
          [](Net& n, const arma::mat& G, const Mats&) { return Mats{n.dropout_backward(G)}; });
    linear_stage("linear 2", W2, b2, D1_, info_.bug == Bug::missing_transpose);
    activation_stage("activation 2", Z2_);
    linear_stage("linear 3", W3, b3, A2_, false);
    add("loss", {{"logits", logits_}},
        [](Net& n, const Mats& v) { return arma::mat{ops::softmax_cross_entropy_forward(v[0], n.labels_).loss}; },
        [](Net& n, const arma::mat& G, const Mats& v) {
          return Mats{arma::mat(G(0, 0) * n.loss_backward(ops::softmax_cross_entropy_forward(v[0], n.labels_).probs))};
        });
    return s;
  }

  arma::mat W1, b1, W2, b2, W3, b3, gamma, beta;

 private:
  // dlogits = (probs - onehot) / B, with the loss's bugs.
  arma::mat loss_backward(const arma::mat& probs) const {
    const double B = static_cast<double>(probs.n_cols);
    arma::mat dlogits = ops::softmax_cross_entropy_backward(probs, labels_);
    if (info_.bug == Bug::batch_mean_twice) dlogits /= B;
    if (info_.bug == Bug::batch_mean_never) dlogits *= B;
    if (info_.bug == Bug::softmax_ce_sign) dlogits = -dlogits;
    return dlogits;
  }

  // Batch norm's backward through the cache of its forward pass, with its bug. gamma: the
  // one the forward pass used (the network's own unless a stage check moves it).
  ops::BatchNormGrads batchnorm_backward(const arma::mat& dY, const ops::BatchNormCache& cache,
                                         const arma::mat& g) const {
    ops::BatchNormGrads grads = ops::batchnorm_backward(dY, g.col(0), cache);
    if (info_.bug == Bug::batchnorm_no_mean) {
      // dX = (gamma r / B)(B dY - sum_b dY - x_hat sum_b dY x_hat): the bug drops - sum_b dY.
      const double B = static_cast<double>(dY.n_cols);
      const arma::vec back = g.col(0) % cache.inv_std / B % arma::sum(dY, 1);
      grads.dX.each_col() += back;
    }
    return grads;
  }
  ops::BatchNormGrads batchnorm_backward(const arma::mat& dY, const ops::BatchNormCache& cache) const {
    return batchnorm_backward(dY, cache, gamma);
  }

  // Dropout's backward: the forward pass's mask, or (the bug) a fresh one.
  arma::mat dropout_backward(const arma::mat& dD) {
    if (info_.bug == Bug::dropout_new_mask && info_.dropout > 0.0)
      return dD % draw_mask(dD.n_rows, dD.n_cols, backward_rng_);
    return dD % mask_;
  }

  // Forward scale of a weight used at run time: Glorot's bound, sqrt(6 / (fan_in + fan_out)).
  double scale(const arma::mat& W) const {
    return info_.runtime_scale ? std::sqrt(6.0 / double(W.n_cols + W.n_rows)) : 1.0;
  }
  // The scale backward uses for dW: the same, except for the bug (fan_in only).
  double backward_scale(const arma::mat& W) const {
    if (info_.bug == Bug::glorot_fan_in) return std::sqrt(6.0 / double(W.n_cols));
    return scale(W);
  }

  arma::mat linear(const arma::mat& W, const arma::mat& b, const arma::mat& X) const {
    arma::mat Y = scale(W) * W * X;
    Y.each_col() += b.col(0);
    return Y;
  }

  // Y = s W X + b:  dW = s dY X^T,  db = sum_b dY,  dX = s W^T dY  (with the bugs of a Linear).
  arma::mat linear_backward(const arma::mat& dY, const arma::mat& W, const arma::mat& X, arma::mat& dW,
                            arma::mat& db, bool missing_transpose) const {
    dW = backward_scale(W) * dY * X.t();
    db = arma::sum(dY, 1);
    if (info_.bug == Bug::bias_not_summed) db = dY.col(0);  // the bug: one sample
    if (info_.bug == Bug::broadcast_bias) db.fill(arma::accu(dY));  // the bug: summed over units too
    if (missing_transpose) return scale(W) * W * dY;  // the bug: W dY
    return scale(W) * W.t() * dY;
  }

  arma::mat activation(const arma::mat& Z) const {
    return info_.activation == "relu" ? ops::relu_forward(Z) : arma::mat(arma::tanh(Z));
  }

  arma::mat activation_backward(const arma::mat& dA, const arma::mat& Z, const arma::mat& A) const {
    if (info_.activation == "relu") {
      if (info_.bug == Bug::relu_mask_from_grad) return dA % arma::conv_to<arma::mat>::from(dA > 0.0);
      return ops::relu_backward(dA, Z);
    }
    if (info_.bug == Bug::tanh_from_preactivation) return dA % (1.0 - Z % Z);  // Z is not tanh's output
    return dA % ((1.0 - A) % (1.0 + A));
  }

  arma::mat draw_mask(arma::uword rows, arma::uword cols, Rng& rng) const {
    arma::mat m(rows, cols);
    for (arma::uword i = 0; i < m.n_elem; ++i) m(i) = uniform01(rng) >= info_.dropout ? 1.0 / (1.0 - info_.dropout) : 0.0;
    return m;
  }

  BugInfo info_;
  Mats grads_;
  Rng dropout_rng_, backward_rng_;
  std::uint64_t mask_seed_ = 0;
  bool frozen_ = false;
  arma::mat X_, Z1_, N1_, A1_, D1_, Z2_, A2_, logits_, probs_, mask_;
  arma::uvec labels_;
  ops::BatchNormCache bn_;
};

// The network and the batch a Differentiable owns.
struct CheckSubject {
  Net net;
  arma::mat X;
  arma::uvec labels;
};

}  // namespace

check::Differentiable differentiable(const BugInfo& info, const data::Dataset& batch, std::uint64_t seed) {
  auto s = std::make_shared<CheckSubject>(CheckSubject{Net(info, seed), batch.X, batch.labels});
  s->net.set_frozen_mask(true);  // a fresh network: gradient buffers zero, as before a first step
  check::Differentiable fn;
  fn.inputs.push_back({"X", &s->X});
  for (const auto& p : s->net.parameters()) fn.inputs.push_back(p);
  fn.forward = [s] { return arma::mat{s->net.forward(s->X, s->labels)}; };
  fn.backward = [s](const arma::mat& G) {
    s->net.forward(s->X, s->labels);
    Mats g = s->net.backward();
    for (arma::mat& m : g) m *= G(0, 0);
    return g;
  };
  fn.owner = s;
  return fn;
}

check::Differentiable in_float(check::Differentiable fn) {
  auto forward = fn.forward;
  fn.forward = [forward] { return arma::conv_to<arma::mat>::from(arma::conv_to<arma::fmat>::from(forward())); };
  return fn;
}

std::vector<std::pair<std::string, check::Differentiable>> stages(const BugInfo& info, const data::Dataset& batch,
                                                                  std::uint64_t seed) {
  Net net(info, seed);
  net.set_frozen_mask(true);
  net.forward(batch.X, batch.labels);
  return net.stages();
}

TrainResult train_with(const BugInfo& info, const data::Dataset& train_set, const data::Dataset& test_set, int epochs,
                       std::uint64_t seed, const std::filesystem::path& csv_path) {
  Net net(info, seed);
  std::vector<arma::mat*> params;
  for (const auto& p : net.parameters()) params.push_back(p.second);
  Mats velocity;
  for (arma::mat* p : params) velocity.push_back(arma::zeros(arma::size(*p)));
  const double lr = 0.1;
  const arma::uword batch = 16;
  Rng rng(seed + 7);
  output::Csv csv({"epoch", "train_loss", "test_accuracy"});
  TrainResult r;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const arma::uvec order = random_permutation(train_set.size(), rng);
    double total = 0.0;
    arma::uword steps = 0;
    for (arma::uword start = 0; start + batch <= order.n_elem; start += batch) {
      const arma::uvec idx = order.subvec(start, start + batch - 1);
      const double loss = net.forward(train_set.X.cols(idx), train_set.labels(idx));
      const Mats g = net.backward();
      for (std::size_t k = 0; k < params.size(); ++k) {
        velocity[k] = momentum * velocity[k] + g[k + 1];
        *params[k] -= lr * velocity[k];
      }
      total += loss;
      ++steps;
    }
    // Evaluation: the test set as one batch (dropout off; batch norm on the test batch's statistics).
    r.loss = net.forward(test_set.X, test_set.labels, false);
    const arma::uvec predicted = train::predict(net.logits());
    r.accuracy = arma::mean(arma::conv_to<arma::vec>::from(predicted == test_set.labels));
    if (!std::isfinite(total) || !std::isfinite(r.loss)) r.diverged = true;
    csv.add_row(std::vector<double>{double(epoch), total / std::max<arma::uword>(steps, 1), r.accuracy});
    if (r.diverged) break;
  }
  csv.write(csv_path);
  return r;
}

}  // namespace lab_bug_gallery
