// lab-bug-gallery: realistic backpropagation bugs, each a small wrong variant of a real
// backward pass, kept here (never in lib/). For each bug: the checker's verdict, the largest
// relative error, its diagnosis at the first stage that fails on its own (bisection), where the
// error sits (a heatmap of the per-entry relative error over the worst tensor, every heatmap on
// one colour scale), whether a training run would have hidden it, and which checker settings
// catch it (the kill matrix). Study: docs/studies/bug-gallery.md.
//
// The network is small and written out here so that every bug has a place to live:
//   X (2 x B) -> Linear 16 -> [BatchNorm] -> act -> [Dropout] -> Linear 16x16 -> act
//             -> Linear 2 -> softmax cross-entropy (mean over the batch)
// The forward pass is always right; `Bug` switches one line of the backward pass (or of what
// the backward pass writes into). The checker sees the whole network as one Differentiable: the
// inputs are the batch X and every parameter, the output the scalar loss.
//
// Writes out/lab-bug-gallery/: table-bugs.csv, kill-matrix.csv and figure, heatmap-<bug>
// figures, training-<bug>.csv, summary.json. Exit status 1 when the default check (check_vjp,
// central differences, default step and tolerance) misses any bug, fails a network without a
// bug, or diagnoses a bug as another class than BugInfo::expected: "every bug caught" is a
// test (checks/CMakeLists.txt).
#include "gradlab/programs/lab.hpp"

#include "gradlab/check/print.hpp"
#include "gradlab/check/taylor.hpp"
#include "gradlab/data/synthetic.hpp"
#include "gradlab/nn/init.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/random.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>

using namespace gradlab;
using Mats = std::vector<arma::mat>;

namespace {

enum class Bug {
  none,
  missing_transpose,        // dX = W dY instead of W^T dY (the square middle layer)
  batch_mean_twice,         // dlogits = (probs - onehot) / B^2
  batch_mean_never,         // dlogits = probs - onehot
  bias_not_summed,          // db = dY(:, 0): one sample's gradient, code written for batch 1
  tanh_from_preactivation,  // dX = dY (1 - Z^2), Z the pre-activation, as if it were tanh's output
  relu_mask_from_grad,      // dX = dY 1[dY > 0] instead of dY 1[X > 0]
  softmax_ce_sign,          // dlogits = (onehot - probs) / B
  batchnorm_no_mean,        // batch norm's dX without the term through the mean (- sum_b dY)
  dropout_new_mask,         // backward draws a fresh mask instead of reusing forward's
  momentum_in_grad,         // the velocity written into the gradient: dW = g + mu dW_previous
  glorot_fan_in,            // run-time init scale: forward sqrt(6/(in+out)), backward sqrt(6/in)
  broadcast_bias,           // db = sum of dY over the batch AND the units, broadcast to every unit
  no_zero_grad,             // dW += ... : gradients accumulated across backward calls
};

struct BugInfo {
  Bug bug;
  std::string key, title;
  check::Pattern expected = check::Pattern::none;  // the diagnosis that names this bug
  std::string activation = "tanh";
  bool batchnorm = false;
  double dropout = 0.0;
  bool runtime_scale = false;
};

std::vector<BugInfo> bugs() {
  using P = check::Pattern;
  return {
      {Bug::missing_transpose, "missing-transpose", "missing transpose: dX = W dY", P::transpose},
      {Bug::batch_mean_twice, "batch-mean-twice", "1/B applied twice in the loss backward", P::scale},
      {Bug::batch_mean_never, "batch-mean-never", "1/B never applied in the loss backward", P::scale},
      {Bug::bias_not_summed, "bias-not-summed", "bias gradient not summed over the batch", P::reduction},
      // The derivative read off the wrong tensor, 1 - Z^2 for 1 - tanh(Z)^2, follows none of
      // the patterns: the bisection still names the layer.
      {Bug::tanh_from_preactivation, "tanh-preactivation", "tanh' from the pre-activation: 1 - Z^2", P::unknown},
      {Bug::relu_mask_from_grad, "relu-mask-from-grad", "ReLU mask taken from the output gradient", P::mask, "relu"},
      {Bug::softmax_ce_sign, "softmax-ce-sign", "softmax cross-entropy with the wrong sign", P::sign},
      {Bug::batchnorm_no_mean, "batchnorm-no-mean", "batch norm without the mean term", P::missing_term, "tanh", true},
      {Bug::dropout_new_mask, "dropout-new-mask", "dropout mask not reused in backward", P::contract, "tanh", false, 0.2},
      {Bug::momentum_in_grad, "momentum-in-grad", "momentum added to the gradient, not the velocity", P::contract},
      {Bug::glorot_fan_in, "glorot-fan-in", "Glorot bound with fan_in only (run-time scale)", P::scale, "tanh", false, 0.0, true},
      {Bug::broadcast_bias, "broadcast-bias", "bias gradient summed over the units too (broadcast)", P::reduction},
      {Bug::no_zero_grad, "no-zero-grad", "gradients accumulated without zeroing", P::contract},
  };
}

// The networks without a bug, one per configuration the bugs use: controls and baselines.
std::vector<BugInfo> controls() {
  return {
      {Bug::none, "control-tanh", "no bug: tanh network"},
      {Bug::none, "control-relu", "no bug: ReLU network", check::Pattern::none, "relu"},
      {Bug::none, "control-batchnorm", "no bug: with batch norm", check::Pattern::none, "tanh", true},
      {Bug::none, "control-dropout", "no bug: with dropout 0.2", check::Pattern::none, "tanh", false, 0.2},
      {Bug::none, "control-runtime-scale", "no bug: run-time Glorot scale", check::Pattern::none, "tanh", false, 0.0, true},
  };
}

const BugInfo& control_for(const BugInfo& b, const std::vector<BugInfo>& list) {
  for (const BugInfo& c : list)
    if (c.activation == b.activation && c.batchnorm == b.batchnorm && c.dropout == b.dropout &&
        c.runtime_scale == b.runtime_scale)
      return c;
  return list.front();
}

// ---------------------------------------------------------------------------------------------
// The network: forward (always right) and backward (with the bug).

constexpr arma::uword hidden = 16;
constexpr double momentum = 0.9;

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

// The network on a fixed batch as the checker sees it: inputs X and every parameter, output the
// loss (1 x 1), backward(G) = G times the gradients. The network is fresh, its gradient buffers
// zero, as when a check runs before training: bugs that keep state between backward calls
// give the right values on the first call and show only from the second one on.
struct CheckSubject {
  Net net;
  arma::mat X;
  arma::uvec labels;
};

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

// Float emulation: the loss rounded to float (a 24-bit mantissa) at every evaluation.
check::Differentiable in_float(check::Differentiable fn) {
  auto forward = fn.forward;
  fn.forward = [forward] { return arma::conv_to<arma::mat>::from(arma::conv_to<arma::fmat>::from(forward())); };
  return fn;
}

// ---------------------------------------------------------------------------------------------
// Training: momentum SGD on the disk set; final test accuracy.

struct TrainResult {
  double accuracy = 0.0, loss = 0.0;
  bool diverged = false;
};

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

// ---------------------------------------------------------------------------------------------
// The kill matrix: which settings catch which bug.

struct Setting {
  std::string label;
  enum Kind { vjp, directional, taylor } kind = vjp;
  check::Scheme scheme = check::Scheme::central;
  double step = 0.0;
  bool in_float = false;
};

std::vector<Setting> settings() {
  using S = check::Scheme;
  std::vector<Setting> s;
  for (double step : {1e-2, 1e-4, 1e-5, 1e-6, 1e-8})
    s.push_back({"central " + text::sci(step, 1) + (step == 1e-5 ? " (default)" : ""), Setting::vjp, S::central, step});
  for (double step : {1e-2, 1e-4, 1e-6, 1e-8})
    s.push_back({"forward " + text::sci(step, 1) + (step == 1e-8 ? " (default)" : ""), Setting::vjp, S::forward, step});
  s.push_back({"float central 1e-3", Setting::vjp, S::central, 1e-3, true});
  s.push_back({"float central 1e-5", Setting::vjp, S::central, 1e-5, true});
  s.push_back({"directional x4 (fast)", Setting::directional, S::central, 0.0});
  s.push_back({"Taylor test", Setting::taylor});
  return s;
}

bool caught_by(const Setting& s, const BugInfo& info, const data::Dataset& batch, std::uint64_t seed) {
  check::Differentiable fn = differentiable(info, batch, seed);
  if (s.in_float) fn = in_float(fn);
  if (s.kind == Setting::taylor) {
    check::TaylorOptions o;
    o.seed = seed;
    return check::taylor_test(fn, o).verdict == check::Verdict::fail;
  }
  check::Options o;
  o.scheme = s.scheme;
  o.step = s.step;
  o.seed = seed;
  // A float check needs a float tolerance: 1e-2 relative, 1e-4 absolute (the loosest in use).
  if (s.in_float) o.tolerance = check::Tolerance{1e-4, 1e-2};
  const check::CheckResult r = s.kind == Setting::directional ? check::check_directional(fn, 4, o) : check::check_vjp(fn, o);
  return r.verdict() == check::Verdict::fail;
}

// ---------------------------------------------------------------------------------------------
// The heatmaps. All of them share one colour scale, so that a control and a bug can be told
// apart at a glance: the colour is log10 of the per-entry relative error that the checker reads
// (Tolerance::relative_error: |a - n| / max(|a|, |n|, atol / rtol)), on a fixed range that is
// never fitted to the data. The range runs from 1e-16, agreement to the last bit (exact zeros
// are drawn there), to 10, above the largest possible value of 2. The palette is calm below the
// checker's relative tolerance (white to pale blue). At the tolerance it breaks into orange and
// then darkens to near-black red, so dark means wrong. The tolerance is a labelled tic with a
// line across the colour bar. Rows and columns get integer tics at the 0-based indices that the
// table's "where" column uses, so a one-column tensor gets the single tic 0.

constexpr int heat_low = -16, heat_high = 1;  // log10 of the relative error: the colour range

// The heatmap's value for one entry: log10 of its relative error, clamped to the range.
double heat_value(double relative_error) {
  return std::clamp(std::log10(std::max(relative_error, 1e-300)), double(heat_low), double(heat_high));
}

// "set xtics ... 0,STEP,LAST": a tic at every index of an axis of n entries (every few when n is large).
std::string index_tics(const std::string& axis, arma::uword n) {
  const arma::uword step = std::max<arma::uword>(1, (n + 15) / 16);
  return "set " + axis + "tics out nomirror 0," + std::to_string(step) + "," + std::to_string(n - 1);
}

// The heatmap of one tensor's relative errors (data: NAME.csv, columns column, row,
// log10_rel_error), rows x cols entries, under the checker's tolerance tol.
output::Figure heatmap_figure(const std::string& name, const std::string& title, const std::string& tensor,
                              arma::uword rows, arma::uword cols, const check::Tolerance& tol) {
  output::Figure f;
  f.name = name;
  f.title = title;
  f.xlabel = "column of " + tensor;
  f.ylabel = "row of " + tensor;
  f.width = 820;
  f.height = 600;
  const double t = std::log10(tol.rtol);
  const std::string at = text::number(t), low = std::to_string(heat_low), high = std::to_string(heat_high);
  // The colour bar: integer tics every 2 decades, the tolerance's own tic in their place.
  std::string cbtics = "set cbtics out (";
  for (int v = heat_low; v <= heat_high; v += 2)
    if (std::abs(v - t) >= 1.0) cbtics += "'10^{" + std::to_string(v) + "}' " + std::to_string(v) + ", ";
  cbtics += "'{/:Bold tolerance 10^{" + at + "}}' " + at + ")";
  // Fixed geometry (screen fractions), so that the tolerance line can be drawn on the colour bar.
  const double left = 0.10, right = 0.74, bottom = 0.11, top = 0.90, bar = 0.77, bar_width = 0.03;
  const double tol_y = bottom + (top - bottom) * (t - heat_low) / (heat_high - heat_low);
  const auto screen = [](double v) { return "screen " + text::number(v); };
  f.commands = {
      "unset grid", "unset key",
      "set lmargin at " + screen(left), "set rmargin at " + screen(right),
      "set bmargin at " + screen(bottom), "set tmargin at " + screen(top),
      "set colorbox user origin " + screen(bar) + ", " + screen(bottom) + " size " + screen(bar_width) + ", " +
          screen(top - bottom),
      "set cbrange [" + low + ":" + high + "]", cbtics,
      "set cblabel 'relative error per entry, |a - n| / max(|a|, |n|, " + text::number(tol.atol / tol.rtol) +
          ") (log scale)' noenhanced",
      // Pale below the tolerance, then orange to near-black red: dark means wrong.
      "set palette defined (" + low + " '#ffffff', " + at + " '#c6dbef', " + at + " '#fdae6b', " +
          text::number(t + 0.4 * (heat_high - t)) + " '#e6550d', " + text::number(t + 0.75 * (heat_high - t)) +
          " '#a50f15', " + high + " '#3b0008')",
      "set arrow from " + screen(bar - 0.008) + ", " + screen(tol_y) + " to " + screen(bar + bar_width + 0.008) +
          ", " + screen(tol_y) + " nohead front lw 2 lc rgb 'black'",
      index_tics("x", cols), index_tics("y", rows),
      "set xrange [-0.5:" + std::to_string(cols) + "-0.5]",
      "set yrange [" + std::to_string(rows) + "-0.5:-0.5]"};
  // One filled box per entry (an image needs two columns at least; vectors have one).
  f.series = {{name + ".csv", "column", "row", "log10 relative error", "boxxyerror",
               "fs solid 1.0 border lc rgb '#d9d9d9' lc palette", "(0.5):(0.5):(column('log10_rel_error'))"}};
  return f;
}

// Where the bisection found the bug and what it is.
struct Finding {
  std::string where = "-";  // "linear 2: dX", or "network: dW1" when no stage fails alone
  check::Diagnosis diagnosis;
};

// The diagnosis of the first failing tensor of r, or of its broken contract.
Finding first_failure(const check::CheckResult& r, const std::string& place) {
  for (const check::TensorResult& t : r.tensors)
    if (t.verdict() == check::Verdict::fail) return {place + ": " + t.name, t.diagnosis};
  Finding f{place, {}};
  if (!r.contract.holds()) {
    f.diagnosis.pattern = check::Pattern::contract;
    f.diagnosis.summary = std::string("contract: ") + r.contract.problem;
  }
  return f;
}

// Bisection: when the network fails, each stage is checked alone on the input the failing run
// gave it, in forward order; the first that fails is where the bug is. A bug that shows only
// across backward calls of the whole network (state kept in its gradient buffers) is
// diagnosed on the network.
Finding find_bug(const BugInfo& info, const data::Dataset& batch, std::uint64_t seed,
                 const check::CheckResult& network) {
  if (network.verdict() != check::Verdict::fail) return {};
  Net net(info, seed);
  net.set_frozen_mask(true);
  net.forward(batch.X, batch.labels);
  check::Options o;
  o.seed = seed;
  for (const auto& [name, fn] : net.stages()) {
    const check::CheckResult r = check::check_vjp(fn, o);
    if (r.verdict() == check::Verdict::fail) return first_failure(r, name);
  }
  return first_failure(network, "network");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A gallery of backpropagation bugs: the checker's verdict, where the error sits, whether "
               "training hides it, and which checker settings catch it.", "lab-bug-gallery"};
  lab::LabOptions options;
  options.name = "lab-bug-gallery";
  lab::add_options(app, options);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    const std::uint64_t seed = options.seed;
    const int epochs = options.full ? 100 : 20;
    const arma::uword n = options.full ? 1000 : 400;
    std::cout << "lab-bug-gallery: " << (options.full ? "full" : "quick") << " mode (" << epochs
              << " epochs on " << n << " disk points per bug), results in " << options.out.string() << '\n';

    Rng data_rng(seed);
    data::Dataset train_set = data::make_disk(n, data_rng);
    data::Dataset test_set = data::make_disk(n, data_rng);
    for (data::Dataset* d : {&train_set, &test_set}) d->X = 4.0 * (d->X - 0.5);  // centred, in [-2, 2]
    const data::Dataset check_batch = data::select(train_set, arma::regspace<arma::uvec>(0, 7), "check batch");

    const std::vector<BugInfo> bug_list = bugs(), control_list = controls();
    std::vector<BugInfo> rows = bug_list;
    rows.insert(rows.end(), control_list.begin(), control_list.end());

    // Baselines: each control trained once.
    std::map<std::string, TrainResult> baseline;
    for (const BugInfo& c : control_list)
      baseline[c.key] = train_with(c, train_set, test_set, epochs, seed, options.out / ("training-" + c.key + ".csv"));

    output::Csv table_csv({"bug", "verdict (default check)", "max rel err", "where (heatmap tensor and worst element)",
                           "its max |a - n| / max|n|", "contract", "diagnosis (first failing stage)",
                           "test accuracy with the bug", "without (control)", "training hides it?"});
    text::Table table({"bug", "verdict", "max rel err", "where (heatmap)", "contract", "diagnosis",
                         "accuracy with bug", "without", "training hides it?"});
    nlohmann::json bug_json = nlohmann::json::array();
    std::map<std::string, Finding> findings;
    bool all_caught = true;
    for (const BugInfo& b : rows) {
      const bool is_bug = b.bug != Bug::none;
      check::Options o;
      o.seed = seed;
      const check::CheckResult r = check::check_vjp(differentiable(b, check_batch, seed), o);
      const bool caught = r.verdict() == check::Verdict::fail;
      if (is_bug ? !caught : caught) all_caught = false;
      const Finding found = find_bug(b, check_batch, seed, r);
      const bool named = found.diagnosis.pattern == b.expected;
      if (!named) all_caught = false;
      findings[b.key] = found;
      const std::string diagnosis =
          is_bug ? found.where + ": " + check::to_string(found.diagnosis.pattern) : "-";
      // Where the error sits: |analytic - numeric| element by element, every tensor, from a
      // fresh subject; the worst tensor (largest max |a - n| / max |n|) is drawn, with the
      // relative error of each entry. When the contract broke (state kept between calls), from
      // the SECOND backward call: the first one is right by construction, the second is what
      // training uses.
      const bool second_call = !r.contract.holds();
      check::Differentiable fn = differentiable(b, check_batch, seed);
      Rng g_rng(seed);
      const arma::mat G = random_normal(1, 1, g_rng);
      Mats analytic = fn.backward(G);
      if (second_call) analytic = fn.backward(G);
      std::size_t worst = 0;
      double worst_error = -1.0;
      arma::mat worst_diff, worst_rel;
      const check::Tolerance tol = o.effective_tolerance();
      for (std::size_t t = 0; t < fn.inputs.size(); ++t) {
        arma::mat& x = *fn.inputs[t].second;
        const arma::mat numeric =
            check::numerical_gradient([&fn, &G] { return G(0, 0) * fn.forward()(0, 0); }, x, o);
        const arma::mat diff = arma::abs(analytic[t] - numeric);
        const double error = diff.max() / std::max(1e-3, arma::abs(numeric).max());
        if (error > worst_error) {
          worst_error = error;
          worst = t;
          worst_diff = diff;
          worst_rel.set_size(arma::size(diff));
          for (arma::uword k = 0; k < diff.n_elem; ++k) worst_rel(k) = tol.relative_error(analytic[t](k), numeric(k));
        }
      }
      const std::string tensor = "d" + fn.inputs[worst].first;
      arma::uword worst_index = worst_diff.index_max();
      const std::string worst_at = "(" + std::to_string(worst_index % worst_diff.n_rows) + "," +
                                   std::to_string(worst_index / worst_diff.n_rows) + ")";
      double max_rel = 0.0;
      for (const auto& t : r.tensors) max_rel = std::max(max_rel, t.max_rel_error);
      {
        // The heatmap: the relative error of every entry of the worst tensor, on the gallery's
        // one colour scale (heatmap_figure).
        output::Csv heat({"column", "row", "abs_error", "rel_error", "log10_rel_error"});
        for (arma::uword c = 0; c < worst_rel.n_cols; ++c)
          for (arma::uword rr = 0; rr < worst_rel.n_rows; ++rr)
            heat.add_row(std::vector<double>{double(c), double(rr), worst_diff(rr, c), worst_rel(rr, c),
                                             heat_value(worst_rel(rr, c))});
        heat.write(options.out / ("heatmap-" + b.key + ".csv"));
        const std::string title = b.title + ": relative error over " + tensor + " (" + std::to_string(worst_rel.n_rows) +
                                  "x" + std::to_string(worst_rel.n_cols) + ")" +
                                  (second_call ? ", 2nd backward call" : "");
        lab::render_or_warn(heatmap_figure("heatmap-" + b.key, title, tensor, worst_rel.n_rows, worst_rel.n_cols, tol),
                            options.out);
      }

      const TrainResult tr = is_bug ? train_with(b, train_set, test_set, epochs, seed, options.out / ("training-" + b.key + ".csv"))
                                    : baseline[b.key];
      const TrainResult& base = baseline[control_for(b, control_list).key];
      const bool hidden_by_training = !tr.diverged && tr.accuracy >= base.accuracy - 0.05;
      const std::string accuracy = tr.diverged ? "diverged" : lab::percent(tr.accuracy);
      const std::string hides = !is_bug ? "-" : hidden_by_training ? "yes: it still learns" : "no: training visibly suffers";
      const std::string contract = r.contract.holds() ? "ok" : "BROKEN: " + r.contract.problem;
      const std::string where = tensor + " " + worst_at + (second_call ? " (2nd call)" : "");
      table.add_row({b.key, check::to_string(r.verdict()), text::sci(max_rel), where,
                     r.contract.holds() ? "ok" : "BROKEN", diagnosis + (named ? "" : " (WRONG)"), accuracy,
                     lab::percent(base.accuracy), hides});
      if (is_bug) table.add_note("^ " + found.where + ": " + found.diagnosis.summary);
      table_csv.add_row({b.title, check::to_string(r.verdict()), text::sci(max_rel), where,
                         text::sci(worst_error), contract, is_bug ? found.where + ": " + found.diagnosis.summary : "-",
                         accuracy, lab::percent(base.accuracy), hides});
      bug_json.push_back({{"bug", b.key}, {"title", b.title}, {"verdict", check::to_string(r.verdict())},
                          {"caught", caught}, {"max_rel_error", max_rel}, {"worst_tensor", tensor},
                          {"contract", contract}, {"diagnosed_at", found.where},
                          {"diagnosis", check::to_json(found.diagnosis)},
                          {"expected_pattern", check::to_string(b.expected)}, {"diagnosis_names_it", named},
                          {"accuracy", tr.accuracy}, {"diverged", tr.diverged},
                          {"control_accuracy", base.accuracy}, {"hidden_by_training", is_bug && hidden_by_training}});
    }
    std::cout << "\nThe gallery: default check (check_vjp, central, step 1e-5), then training (" << epochs
              << " epochs, momentum SGD)\n";
    table.print(std::cout);
    table_csv.write(options.out / "table-bugs.csv");
    io::write_file_atomically(options.out / "table-bugs.csv.title",
                                  "The bug gallery: the default check's verdict and error, and what training does with the bug\n");

    // The kill matrix, and in its last column whether the default check's diagnosis (after
    // bisection) names the bug's class: "caught" when it does.
    const std::vector<Setting> setting_list = settings();
    const std::string diagnosis_label = "diagnosis names the bug";
    // kill-matrix.csv: the figure's data, with the short mark drawn in each cell ("ALARM" for a
    // false alarm, which the colour bar spells out); table-kill-matrix.csv has the long marks.
    output::Csv kill({"setting", "row", "value", "mark"});
    const auto short_mark = [](const std::string& mark) { return mark == "FALSE ALARM" ? std::string("ALARM") : mark; };
    output::Csv kill_table_columns([&] {
      std::vector<std::string> c{"bug"};
      for (const Setting& s : setting_list) c.push_back(s.label);
      c.push_back(diagnosis_label);
      return c;
    }());
    output::Csv kill_table(kill_table_columns.columns());
    nlohmann::json kill_json = nlohmann::json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const bool is_bug = rows[i].bug != Bug::none;
      std::vector<std::string> line{rows[i].key};
      for (std::size_t j = 0; j < setting_list.size(); ++j) {
        const bool fail = caught_by(setting_list[j], rows[i], check_batch, seed);
        // 0 missed, 1 caught (bugs); 2 passes, 3 false alarm (controls).
        const double value = is_bug ? (fail ? 1.0 : 0.0) : (fail ? 3.0 : 2.0);
        const std::string mark = is_bug ? (fail ? "caught" : "MISSED") : (fail ? "FALSE ALARM" : "pass");
        kill.add_row({std::to_string(j), std::to_string(i), text::number(value), short_mark(mark)});
        line.push_back(mark);
        kill_json.push_back({{"row", rows[i].key}, {"setting", setting_list[j].label}, {"fails", fail}});
      }
      {
        const Finding& f = findings[rows[i].key];
        const bool right = f.diagnosis.pattern == rows[i].expected;
        const double value = is_bug ? (right ? 1.0 : 0.0) : (right ? 2.0 : 3.0);
        const std::string mark = is_bug ? (right ? "caught" : "MISSED") : (right ? "pass" : "FALSE ALARM");
        kill.add_row({std::to_string(setting_list.size()), std::to_string(i), text::number(value), short_mark(mark)});
        line.push_back(mark);
        kill_json.push_back({{"row", rows[i].key}, {"setting", diagnosis_label}, {"names_it", right}});
      }
      kill_table.add_row(line);
    }
    kill.write(options.out / "kill-matrix.csv");
    kill_table.write(options.out / "table-kill-matrix.csv");
    io::write_file_atomically(options.out / "table-kill-matrix.csv.title",
                                  "Kill matrix: which checker settings catch which bug (controls: no bug)\n");
    // Readable at page size: fixed margins (screen fractions) that leave room for the longest
    // row title on the left and for the colour bar and its labels on the right, and cells wide
    // enough for their marks at the cells' font (checks/scripts/bug_gallery_figures.sh measures
    // both from the script).
    output::Figure km;
    km.name = "kill-matrix";
    km.title = "Kill matrix: which checker settings catch which bug";
    km.xlabel = "checker setting";
    km.ylabel = "";
    km.width = 1260;
    km.height = 800;
    std::string xtics = "set xtics rotate by 40 right (", ytics = "set ytics (";
    for (std::size_t j = 0; j < setting_list.size(); ++j)
      xtics += (j ? ", " : "") + output::gnuplot_quote(setting_list[j].label) + " " + std::to_string(j);
    xtics += ", " + output::gnuplot_quote(diagnosis_label) + " " + std::to_string(setting_list.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      ytics += (i ? ", " : "") + output::gnuplot_quote(rows[i].title) + " " + std::to_string(i);
    km.commands = {xtics + ")", ytics + ")", "set yrange [" + std::to_string(rows.size()) + "-0.5:-0.5]",
                   "set xrange [-0.5:" + std::to_string(setting_list.size() + 1) + "-0.5]",
                   "set lmargin at screen 0.30", "set rmargin at screen 0.84",
                   "set bmargin at screen 0.22", "set tmargin at screen 0.93",
                   "set colorbox user origin screen 0.855, screen 0.60 size screen 0.02, screen 0.33",
                   "set palette maxcolors 4",
                   "set palette defined (0 '#d62728', 1 '#2ca02c', 2 '#e0e0e0', 3 '#ff7f0e')",
                   "set cbrange [-0.5:3.5]",
                   "set cbtics scale 0 ('bug missed' 0, 'bug caught' 1, 'control passes' 2, 'false alarm' 3)",
                   "unset key", "set grid noxtics noytics",
                   "set xtics noenhanced", "set ytics noenhanced"};
    km.series = {{"kill-matrix.csv", "setting", "row", "outcome", "image", "", "value"},
                 {"kill-matrix.csv", "setting", "row", "marks", "labels", "font ',8'", "(stringcolumn('mark'))"}};
    lab::render_or_warn(km, options.out);

    lab::write_summary(options, {{"bugs", bug_json}, {"kill_matrix", kill_json}, {"every_bug_caught", all_caught},
                                 {"epochs", epochs}, {"train_points", n}});
    std::cout << (all_caught ? "\nevery bug is caught by the default check and named by its diagnosis, and no control fails\n"
                             : "\nNOT every bug is caught and named by the default check (or a control fails): see the table\n");
    return all_caught ? 0 : 1;
  });
}
