// The checker's diagnoses: each classic mistake, planted in a real op's backward pass, must be
// named for what it is (with its constant where it has one); the right backward passes get no
// diagnosis; and wrong gradients without a pattern get "no known pattern", never a guess.
#include "gradlab/check/checker.hpp"
#include "gradlab/check/op_cases.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/random.hpp"
#include "bugged_affine.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <sstream>

using namespace gradlab;
using check::Pattern;
using Mats = std::vector<arma::mat>;

namespace {

using Inputs = std::map<std::string, arma::mat>;
using Forward = std::function<arma::mat(const Inputs&)>;
using Backward = std::function<Mats(const arma::mat& G, const Inputs&)>;

// A checkable function over named inputs (checked in the order of `order`).
check::Differentiable function_of(std::vector<std::string> order, Inputs inputs, Forward f,
                                  Backward b) {
  auto d = std::make_shared<Inputs>(std::move(inputs));
  check::Differentiable fn;
  for (const std::string& name : order) fn.inputs.push_back({name, &d->at(name)});
  fn.forward = [d, f] { return f(*d); };
  fn.backward = [d, b](const arma::mat& G) { return b(G, *d); };
  fn.owner = d;
  return fn;
}

// Y = W X + b with the gradients `wrong` rewrites (W rows x cols, X cols x B).
check::Differentiable affine(arma::uword rows, arma::uword cols, arma::uword B,
                             std::function<void(ops::AffineGrads&, const arma::mat& G, const Inputs&)> wrong,
                             std::uint64_t seed = 11) {
  Rng rng(seed);
  Inputs in{{"W", random_normal(rows, cols, rng)}, {"b", random_normal(rows, 1, rng)},
            {"X", random_normal(cols, B, rng)}};
  return function_of({"W", "b", "X"}, in,
                     [](const Inputs& i) { return ops::affine_forward(i.at("W"), i.at("b"), i.at("X")); },
                     [wrong](const arma::mat& G, const Inputs& i) {
                       ops::AffineGrads g = ops::affine_backward(G, i.at("W"), i.at("X"));
                       wrong(g, G, i);
                       return Mats{g.dW, g.db, g.dX};
                     });
}

// X -> ReLU(X) with the backward given.
check::Differentiable relu(std::function<arma::mat(const arma::mat& G, const arma::mat& X)> backward) {
  Rng rng(12);
  return function_of({"X"}, {{"X", random_normal(5, 6, rng)}},
                     [](const Inputs& i) { return ops::relu_forward(i.at("X")); },
                     [backward](const arma::mat& G, const Inputs& i) { return Mats{backward(G, i.at("X"))}; });
}

const check::TensorResult& tensor(const check::CheckResult& r, const std::string& name) {
  for (const check::TensorResult& t : r.tensors)
    if (t.name == name) return t;
  FAIL("no tensor " << name);
  throw std::logic_error("unreachable");
}

// The diagnosis of `name` after check_vjp, printed when a test fails.
check::Diagnosis diagnosis_of(const check::Differentiable& fn, const std::string& name) {
  const check::CheckResult r = check::check_vjp(fn);
  const check::Diagnosis d = tensor(r, name).diagnosis;
  INFO(name << ": " << d.summary);
  return d;
}

bool says(const check::Diagnosis& d, const std::string& words) {
  return d.summary.find(words) != std::string::npos;
}

}  // namespace

TEST_CASE("diagnosis: the right backward passes get none", "[diagnosis]") {
  for (const std::string& op : check::op_names())
    for (const check::OpCase& c : check::op_cases(op)) {
      const check::CheckResult r = check::check_vjp(c.fn);
      for (const check::TensorResult& t : r.tensors) {
        INFO(op << " " << c.shape << " " << t.name << ": " << t.diagnosis.summary);
        CHECK(t.diagnosis.pattern == Pattern::none);
      }
    }
}

TEST_CASE("diagnosis: sign, dW = -(dY X^T)", "[diagnosis]") {
  const auto fn = affine(4, 3, 5, [](ops::AffineGrads& g, const arma::mat&, const Inputs&) { g.dW = -g.dW; });
  const check::CheckResult r = check::check_vjp(fn);
  const check::Diagnosis d = tensor(r, "dW").diagnosis;
  INFO(d.summary);
  CHECK(d.pattern == Pattern::sign);
  CHECK(d.constant == Approx(-1.0).epsilon(1e-6));
  CHECK(d.explained == 1.0);
  CHECK(tensor(r, "db").diagnosis.pattern == Pattern::none);
  CHECK(tensor(r, "dX").diagnosis.pattern == Pattern::none);
}

TEST_CASE("diagnosis: a scale names its constant, and B or 1/B as the batch mean", "[diagnosis]") {
  const auto doubled = affine(4, 3, 5, [](ops::AffineGrads& g, const arma::mat&, const Inputs&) { g.dX *= 2.0; });
  const check::Diagnosis d = diagnosis_of(doubled, "dX");
  CHECK(d.pattern == Pattern::scale);
  CHECK(d.constant == Approx(2.0).epsilon(1e-6));
  CHECK(d.spread < 1e-6);
  CHECK_FALSE(says(d, "batch mean"));

  // Softmax cross-entropy (a mean over B = 4 samples) with the 1/B applied twice, then never.
  for (double power : {2.0, 0.0}) {
    Rng rng(13);
    const arma::uvec labels{0, 3, 2, 3};
    check::Differentiable fn = function_of(
        {"logits"}, {{"logits", random_normal(5, 4, rng)}},
        [labels](const Inputs& i) { return arma::mat{ops::softmax_cross_entropy_forward(i.at("logits"), labels).loss}; },
        [labels, power](const arma::mat& G, const Inputs& i) {
          const arma::mat probs = ops::softmax_cross_entropy_forward(i.at("logits"), labels).probs;
          return Mats{G(0, 0) * (probs - one_hot(labels, 5)) / std::pow(4.0, power)};
        });
    fn.batch = 4;  // the output is the scalar loss: the batch is the logits' columns
    const check::Diagnosis ce = diagnosis_of(fn, "dlogits");
    CHECK(ce.pattern == Pattern::scale);
    if (power == 2.0) {
      CHECK(ce.constant == Approx(0.25).epsilon(1e-6));
      CHECK(says(ce, "the batch mean applied twice"));
    } else {
      CHECK(ce.constant == Approx(4.0).epsilon(1e-6));
      CHECK(says(ce, "the batch mean never applied"));
    }
  }
}

TEST_CASE("diagnosis: a gradient that is zero up to rounding is missing, not a scale", "[diagnosis]") {
  const auto fn = affine(4, 3, 5, [](ops::AffineGrads& g, const arma::mat&, const Inputs&) { g.dW *= 1e-17; });
  const check::Diagnosis d = diagnosis_of(fn, "dW");
  CHECK(d.pattern == Pattern::missing_term);
  CHECK(says(d, "the whole gradient is missing"));
}

TEST_CASE("diagnosis: transpose, of a square gradient or of W in dX", "[diagnosis]") {
  // dW returned transposed: (dY X^T)^T, W square.
  const auto square = affine(4, 4, 6, [](ops::AffineGrads& g, const arma::mat&, const Inputs&) { g.dW = arma::mat(g.dW.t()); });
  const check::Diagnosis d = diagnosis_of(square, "dW");
  CHECK(d.pattern == Pattern::transpose);
  CHECK(says(d, "numeric^T"));

  // dW computed as a cols x rows matrix, then read into W's shape (row-major vs column-major).
  const auto reshaped = affine(3, 5, 6, [](ops::AffineGrads& g, const arma::mat&, const Inputs&) {
    const arma::mat t = g.dW.t();
    g.dW = arma::reshape(arma::vectorise(t), g.dW.n_rows, g.dW.n_cols);
  });
  const check::Diagnosis r = diagnosis_of(reshaped, "dW");
  CHECK(r.pattern == Pattern::transpose);
  CHECK(says(r, "axes' roles swapped"));

  // dX = W dY instead of W^T dY: the gradient of the function with W^T in place of W.
  const check::Diagnosis w = diagnosis_of(checks::affine_with(false), "dX");
  CHECK(w.pattern == Pattern::transpose);
  CHECK(says(w, "W^T in place of W"));
}

TEST_CASE("diagnosis: a ReLU mask from the wrong tensor names both tensors", "[diagnosis]") {
  const auto from_grad = relu([](const arma::mat& G, const arma::mat&) {
    return arma::mat(G % arma::conv_to<arma::mat>::from(G > 0.0));
  });
  const check::Diagnosis d = diagnosis_of(from_grad, "dX");
  CHECK(d.pattern == Pattern::mask);
  CHECK(says(d, "nonzero exactly where G > 0"));
  CHECK(says(d, "numeric where X > 0"));
  CHECK(says(d, "not linear in the upstream gradient"));  // its mask follows G

  // The mask dropped entirely where it should not be: zero where X > 0 and 0 < G.
  const auto inverted = relu([](const arma::mat& G, const arma::mat& X) {
    return arma::mat(G % arma::conv_to<arma::mat>::from(X < 0.0));
  });
  const check::Diagnosis i = diagnosis_of(inverted, "dX");
  CHECK(i.pattern == Pattern::mask);
  CHECK(says(i, "X < 0"));
}

TEST_CASE("diagnosis: a reduction over the wrong axis", "[diagnosis]") {
  // db = dY(:, 0): code written for batch 1.
  const auto one_sample = affine(4, 3, 5, [](ops::AffineGrads& g, const arma::mat& G, const Inputs&) { g.db = G.col(0); });
  const check::Diagnosis d = diagnosis_of(one_sample, "db");
  CHECK(d.pattern == Pattern::reduction);
  CHECK(says(d, "column 0 of G"));
  CHECK(says(d, "the sum of its 5 columns"));

  // db = sum of dY over the batch and the units, broadcast to every unit.
  const auto broadcast = affine(4, 3, 5, [](ops::AffineGrads& g, const arma::mat& G, const Inputs&) { g.db.fill(arma::accu(G)); });
  const check::Diagnosis b = diagnosis_of(broadcast, "db");
  CHECK(b.pattern == Pattern::reduction);
  CHECK(says(b, "summed over every axis and broadcast"));
}

TEST_CASE("diagnosis: a missing term along a known direction", "[diagnosis]") {
  Rng rng(14);
  const Inputs bn{{"X", random_normal(3, 6, rng)}, {"gamma", 1.0 + 0.3 * random_normal(3, 1, rng)},
                  {"beta", random_normal(3, 1, rng)}};
  auto bn_forward = [](const Inputs& i) { return ops::batchnorm_forward(i.at("X"), i.at("gamma"), i.at("beta")).Y; };
  // Batch norm without the term through the mean: dX misses -(gamma r / B) sum_b dY.
  const auto no_mean = function_of({"X", "gamma", "beta"}, bn, bn_forward, [](const arma::mat& G, const Inputs& i) {
    const ops::BatchNormForward f = ops::batchnorm_forward(i.at("X"), i.at("gamma"), i.at("beta"));
    ops::BatchNormGrads g = ops::batchnorm_backward(G, i.at("gamma"), f.cache);
    g.dX.each_col() += i.at("gamma").col(0) % f.cache.inv_std / 6.0 % arma::sum(G, 1);
    return Mats{g.dX, g.dgamma, g.dbeta};
  });
  const check::Diagnosis m = diagnosis_of(no_mean, "dX");
  CHECK(m.pattern == Pattern::missing_term);
  CHECK(says(m, "the same for every sample"));

  // Batch norm's dX as if X were not standardised: dY gamma r alone (both mean terms missing).
  const auto no_terms = function_of({"X", "gamma", "beta"}, bn, bn_forward, [](const arma::mat& G, const Inputs& i) {
    const ops::BatchNormForward f = ops::batchnorm_forward(i.at("X"), i.at("gamma"), i.at("beta"));
    ops::BatchNormGrads g = ops::batchnorm_backward(G, i.at("gamma"), f.cache);
    g.dX = G;
    g.dX.each_col() %= i.at("gamma").col(0) % f.cache.inv_std;
    return Mats{g.dX, g.dgamma, g.dbeta};
  });
  const check::Diagnosis t = diagnosis_of(no_terms, "dX");
  CHECK(t.pattern == Pattern::missing_term);
  CHECK(says(t, "along each row"));

  // Softmax's VJP without -s <s, g>: dX = s * g.
  const auto softmax = function_of({"X"}, {{"X", random_normal(5, 4, rng)}},
                                   [](const Inputs& i) { return ops::softmax_forward(i.at("X")); },
                                   [](const arma::mat& G, const Inputs& i) {
                                     return Mats{arma::mat(ops::softmax_forward(i.at("X")) % G)};
                                   });
  const check::Diagnosis s = diagnosis_of(softmax, "dX");
  CHECK(s.pattern == Pattern::missing_term);
  CHECK(says(s, "k_j Y in each column"));
}

TEST_CASE("diagnosis: a subgradient outside the bracket is only at kinks", "[diagnosis][kink]") {
  Rng rng(15);
  arma::mat X = random_normal(4, 5, rng);
  for (arma::uword i = 0; i < 4; ++i) X(3 * i) = 0.0;
  const auto fn = function_of({"X"}, {{"X", X}}, [](const Inputs& i) { return ops::relu_forward(i.at("X")); },
                              [](const arma::mat& G, const Inputs& i) {
                                arma::mat dX = ops::relu_backward(G, i.at("X"));
                                dX.elem(arma::find(i.at("X") == 0.0)) = 2.0 * G.elem(arma::find(i.at("X") == 0.0));
                                return Mats{dX};
                              });
  const check::Diagnosis d = diagnosis_of(fn, "dX");
  CHECK(d.pattern == Pattern::kinks_only);
  CHECK(says(d, "all 4 failing entries"));
}

TEST_CASE("diagnosis: a broken contract says how it is broken", "[diagnosis][contract]") {
  auto stateful = [](std::function<void(arma::mat& buffer, const arma::mat& fresh)> keep) {
    auto buffer = std::make_shared<arma::mat>();
    return affine(4, 3, 5, [buffer, keep](ops::AffineGrads& g, const arma::mat&, const Inputs&) {
      if (buffer->is_empty()) buffer->zeros(arma::size(g.dW));
      keep(*buffer, g.dW);
      g.dW = *buffer;
    });
  };
  const check::CheckResult acc = check::check_vjp(stateful([](arma::mat& b, const arma::mat& g) { b += g; }));
  INFO(acc.contract.problem);
  CHECK_FALSE(acc.contract.repeatable);
  CHECK(acc.contract.problem.find("accumulates (+=)") != std::string::npos);

  const check::CheckResult momentum =
      check::check_vjp(stateful([](arma::mat& b, const arma::mat& g) { b = g + 0.9 * b; }));
  INFO(momentum.contract.problem);
  CHECK(momentum.contract.problem.find("keeps state between calls") != std::string::npos);

  auto noise = std::make_shared<Rng>(16);
  const check::CheckResult random = check::check_vjp(affine(4, 3, 5, [noise](ops::AffineGrads& g, const arma::mat&, const Inputs&) {
    g.dX %= random_uniform(g.dX.n_rows, g.dX.n_cols, *noise, 0.5, 1.5);
  }));
  INFO(random.contract.problem);
  CHECK(random.contract.problem.find("different numbers at every call") != std::string::npos);
  // A failing tensor of a check whose contract broke carries the contract as its diagnosis.
  CHECK(tensor(random, "dX").diagnosis.pattern == Pattern::contract);
}

TEST_CASE("diagnosis: random wrong gradients have no known pattern", "[diagnosis]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    // Each backward multiplies the right dW (or tanh's local derivative) by a fixed random
    // matrix: repeatable and linear in G, so only the numbers are wrong.
    Rng rng(100 + seed);
    const arma::mat noise = random_uniform(4, 3, rng, -2.0, 2.0);
    const auto fn = affine(4, 3, 5, [noise](ops::AffineGrads& g, const arma::mat&, const Inputs&) { g.dW %= noise; }, seed);
    const check::Diagnosis d = diagnosis_of(fn, "dW");
    CHECK(d.pattern == Pattern::unknown);

    const arma::mat local = random_uniform(5, 6, rng, 0.0, 1.0);
    const auto t = function_of({"X"}, {{"X", random_normal(5, 6, rng)}},
                               [](const Inputs& i) { return ops::tanh_forward(i.at("X")); },
                               [local](const arma::mat& G, const Inputs&) { return Mats{arma::mat(G % local)}; });
    CHECK(diagnosis_of(t, "dX").pattern == Pattern::unknown);
  }
}

TEST_CASE("diagnosis: printed under the failing row and in the JSON report", "[diagnosis]") {
  const auto fn = affine(4, 3, 5, [](ops::AffineGrads& g, const arma::mat&, const Inputs&) { g.dW = -g.dW; });
  check::CheckResult r = check::check_vjp(fn);
  r.label = "affine";
  std::ostringstream out;
  check::print_table(out, {r});
  const std::string text = out.str();
  INFO(text);
  const auto row = text.find("dW");
  const auto note = text.find("^ dW: sign: analytic = -numeric");
  CHECK(row != std::string::npos);
  CHECK(note != std::string::npos);
  CHECK(note > row);
  CHECK(note < text.find(" db "));  // under dW's row, before db's
  const nlohmann::json j = check::to_json(r);
  CHECK(j["tensors"][0]["diagnosis"]["pattern"] == "sign");
  CHECK(j["tensors"][1]["diagnosis"].is_null());
}
