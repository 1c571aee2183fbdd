#include "svm.hpp"

#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/l2_penalty.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/metrics.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>

using namespace gradlab;

namespace lab_circle {

arma::mat Features::operator()(const arma::mat& X) const {
  // X: 2 x B
  switch (map) {
    case Map::raw:
      return X;
    case Map::radius:  // (x1, x2, x1^2 + x2^2): 3 x B
      return arma::join_cols(X, arma::sum(arma::square(X), 0));
    case Map::fourier: {  // sqrt(2 / D) cos(Omega X + phase): D x B
      arma::mat Z = Omega * X;
      Z.each_col() += phase;
      return std::sqrt(2.0 / static_cast<double>(Omega.n_rows)) * arma::cos(Z);
    }
  }
  return X;
}

arma::uword Features::dimension() const {
  return map == Map::raw ? 2 : map == Map::radius ? 3 : Omega.n_rows;
}

Features raw_features() { return {Features::Map::raw, "raw", "(x1, x2)", {}, {}}; }

Features radius_features() {
  return {Features::Map::radius, "radius", "(x1, x2, x1^2 + x2^2)", {}, {}};
}

Features fourier_features(arma::uword D, double sigma, Rng& rng) {
  Features f{Features::Map::fourier, "fourier",
             std::to_string(D) + " random RBF features (sigma " + text::number(sigma) + ")", {}, {}};
  f.Omega = random_normal(D, 2, rng) / sigma;                   // rows ~ N(0, I / sigma^2)
  f.phase = random_uniform(D, 1, rng, 0.0, 2.0 * std::numbers::pi);
  return f;
}

Features feature_map(const std::string& key, std::uint64_t seed) {
  if (key == "raw") return raw_features();
  if (key == "radius") return radius_features();
  if (key != "fourier") throw std::invalid_argument("no feature map '" + key + "'");
  Rng rng(seed + 2000);
  return fourier_features(fourier_count, fourier_sigma, rng);
}

arma::mat svm_scores(const Svm& svm, const arma::mat& X) {
  return ops::affine_forward(svm.w, svm.b, svm.phi(X));  // w phi(X) + b: 1 x B
}

arma::uvec svm_predict(const Svm& svm, const arma::mat& X) {
  return arma::conv_to<arma::uvec>::from(svm_scores(svm, X).row(0) > 0.0);  // class 1 where > 0
}

train::Metrics svm_measure(const Svm& svm, const arma::mat& phi_X, const arma::uvec& labels, double lambda) {
  const arma::mat scores = ops::affine_forward(svm.w, svm.b, phi_X);  // 1 x n
  const double J = ops::binary_hinge_forward(scores, labels) + ops::l2_penalty_forward(svm.w, lambda);
  const arma::uvec predicted = arma::conv_to<arma::uvec>::from(scores.row(0) > 0.0);
  return {J, arma::mean(arma::conv_to<arma::vec>::from(predicted == labels))};
}

SvmGradients svm_gradients(const Svm& svm, const arma::mat& phi_X, const arma::uvec& labels,
                           double lambda) {
  // forward:  scores = w phi + b (1 x B),  J = binary_hinge(scores) + (lambda / 2) ||w||^2
  const arma::mat scores = ops::affine_forward(svm.w, svm.b, phi_X);
  const arma::mat dscores = ops::binary_hinge_backward(scores, labels);  // -y 1[1 - y s > 0] / B
  ops::AffineGrads g = ops::affine_backward(dscores, svm.w, phi_X);     // dw = dscores phi^T
  return {g.dW + ops::l2_penalty_backward(svm.w, lambda), std::move(g.db)};  // the penalty: + lambda w
}

SvmRun train_svm(Features phi, const data::Dataset& train_set, const data::Dataset& test_set,
                 double lambda, double eta, int epochs) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  SvmRun run;
  const arma::uword D = phi.dimension();
  run.svm = {std::move(phi), arma::mat(1, D, arma::fill::zeros), arma::vec(1, arma::fill::zeros)};
  Svm& svm = run.svm;
  const arma::mat phi_X = svm.phi(train_set.X), phi_test = svm.phi(test_set.X);  // once
  auto evaluate = [&](int epoch) {
    train::Evaluation e;
    e.epoch = epoch;
    e.step = static_cast<arma::uword>(epoch);  // one full-batch step per epoch
    e.learning_rate = eta;
    e.train = svm_measure(svm, phi_X, train_set.labels, lambda);
    e.test = svm_measure(svm, phi_test, test_set.labels, lambda);
    e.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    train::History& h = run.history;
    if (!h.evaluations.empty() && e.train.loss > h.last().train.loss) ++run.loss_rises;
    h.evaluations.push_back(e);
    if (!std::isfinite(e.train.loss) && h.outcome == train::Outcome::completed) {
      h.outcome = train::Outcome::diverged;
      h.note = "J became " + text::number(e.train.loss) + " at epoch " + std::to_string(epoch);
    }
  };
  evaluate(0);
  for (int epoch = 1; epoch <= epochs && run.history.outcome == train::Outcome::completed; ++epoch) {
    const auto epoch_start = Clock::now();
    const SvmGradients g = svm_gradients(svm, phi_X, train_set.labels, lambda);
    svm.w -= eta * g.dw;
    svm.b -= eta * g.db;
    evaluate(epoch);
    run.history.epoch_seconds.push_back(std::chrono::duration<double>(Clock::now() - epoch_start).count());
  }
  return run;
}

check::Differentiable svm_differentiable(const Svm& svm, const data::Dataset& batch, double lambda) {
  struct State {
    Svm svm;
    arma::mat phi_X;
    arma::uvec labels;
    double lambda;
  };
  auto s = std::make_shared<State>(State{svm, svm.phi(batch.X), batch.labels, lambda});
  check::Differentiable fn;
  fn.inputs = {{"w", &s->svm.w}, {"b", &s->svm.b}};
  fn.forward = [s] {
    const arma::mat scores = ops::affine_forward(s->svm.w, s->svm.b, s->phi_X);
    return arma::mat{ops::binary_hinge_forward(scores, s->labels) + ops::l2_penalty_forward(s->svm.w, s->lambda)};
  };
  fn.backward = [s](const arma::mat& G) {
    const SvmGradients g = svm_gradients(s->svm, s->phi_X, s->labels, s->lambda);
    return std::vector<arma::mat>{G(0, 0) * g.dw, G(0, 0) * g.db};
  };
  fn.batch = batch.X.n_cols;
  fn.owner = s;
  return fn;
}

}  // namespace lab_circle
