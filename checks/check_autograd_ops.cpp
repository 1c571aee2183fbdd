// Three witnesses for every op of gradlab::ops: the hand-derived backward, the autograd tape
// (the op written as an expression of primitives) and finite differences, on every case of the
// catalogue. And the primitives that have no hand-derived pair, against finite differences.
#include <catch2/catch.hpp>

#include "gradlab/autograd/ops.hpp"
#include "gradlab/autograd/witness.hpp"
#include "gradlab/check/op_cases.hpp"
#include "gradlab/random.hpp"

#include <functional>
#include <memory>

namespace {

using namespace gradlab;
using namespace gradlab::autograd;
using check::Verdict;

// Manual and autograd may differ only by rounding.
constexpr double max_manual_vs_autograd = 1e-8;

}  // namespace

TEST_CASE("autograd: the tape gradient equals the hand-derived backward for every op",
          "[autograd][witness]") {
  for (const std::string& op : check::op_names()) {
    for (const check::OpCase& c : check::op_cases(op)) {
      const WitnessCase w = witness(c, 11);
      for (std::size_t i = 0; i < w.tensors.size(); ++i) {
        INFO(c.op << " [" << c.kind << "] " << c.shape << ": d" << w.tensors[i]
                  << " relative difference " << w.relative_difference[i]);
        CHECK(w.relative_difference[i] <= max_manual_vs_autograd);
      }
    }
  }
}

TEST_CASE("autograd: the tape gradient of every op passes the finite-difference check",
          "[autograd][witness][gradcheck]") {
  for (const std::string& op : check::op_names()) {
    for (const check::OpCase& c : check::op_cases(op)) {
      const check::Differentiable fn = autograd_differentiable(c);
      const check::CheckResult tape = check::check_vjp(fn);
      const check::CheckResult manual = check::check_vjp(c.fn);
      INFO(c.op << " [" << c.kind << "] " << c.shape);
      CHECK(tape.verdict() != Verdict::fail);
      CHECK(manual.verdict() != Verdict::fail);
      // the expression computes the same function as the op
      CHECK(arma::approx_equal(fn.forward(), c.fn.forward(), "reldiff", 1e-10));
    }
  }
}

TEST_CASE("autograd: the fixed data read back from a case is the op's own",
          "[autograd][witness]") {
  // Losses are exactly reproduced by the expression with the recovered labels or targets.
  for (const std::string op : {"nll", "softmax_cross_entropy", "mse", "cross_entropy", "dropout",
                               "batchnorm_eval", "l2_penalty", "leaky_relu", "multiclass_hinge",
                               "binary_hinge"}) {
    for (const check::OpCase& c : check::op_cases(op, 0, 4)) {
      INFO(c.op << " [" << c.kind << "]");
      std::vector<Tensor> inputs;
      for (const auto& [name, pointer] : c.fn.inputs) inputs.emplace_back(*pointer);
      const arma::mat Y = op_expression(c.op, inputs, case_constants(c)).data();
      CHECK(arma::approx_equal(Y, c.fn.forward(), "reldiff", 1e-10));
    }
  }
}

namespace {

// A primitive on random inputs, checked by vjp and full Jacobian against finite differences.
struct PrimitiveCase {
  std::string name;
  std::vector<arma::mat> values;
  std::function<Tensor(const std::vector<Tensor>&)> expression;
};

check::Differentiable differentiable(const PrimitiveCase& p) {
  auto data = std::make_shared<std::vector<arma::mat>>(p.values);
  check::Differentiable fn;
  for (std::size_t i = 0; i < data->size(); ++i)
    fn.inputs.push_back({"input " + std::to_string(i), &(*data)[i]});
  auto expression = p.expression;
  fn.forward = [data, expression] {
    std::vector<Tensor> in;
    for (const arma::mat& v : *data) in.emplace_back(v);
    return expression(in).data();
  };
  fn.backward = [data, expression](const arma::mat& G) {
    std::vector<Tensor> in;
    for (const arma::mat& v : *data) in.emplace_back(v, true);
    expression(in).backward(G);
    std::vector<arma::mat> grads;
    for (const Tensor& t : in) grads.push_back(t.grad());
    return grads;
  };
  fn.owner = data;
  return fn;
}

}  // namespace

TEST_CASE("autograd: every primitive passes the finite-difference check",
          "[autograd][gradcheck]") {
  Rng rng(21);
  auto normal = [&](arma::uword r, arma::uword c) { return random_normal(r, c, rng); };
  auto positive = [&](arma::uword r, arma::uword c) { return random_uniform(r, c, rng, 0.5, 2.0); };
  using T = std::vector<Tensor>;
  const std::vector<PrimitiveCase> cases{
      {"matmul", {normal(3, 4), normal(4, 5)}, [](const T& t) { return matmul(t[0], t[1]); }},
      {"add", {normal(3, 4), normal(3, 4)}, [](const T& t) { return add(t[0], t[1]); }},
      {"add (bias column)", {normal(3, 4), normal(3, 1)}, [](const T& t) { return add(t[0], t[1]); }},
      {"subtract (row)", {normal(3, 4), normal(1, 4)}, [](const T& t) { return subtract(t[0], t[1]); }},
      {"multiply (scalar)", {normal(3, 4), normal(1, 1)}, [](const T& t) { return multiply(t[0], t[1]); }},
      {"multiply", {normal(3, 4), normal(3, 4)}, [](const T& t) { return multiply(t[0], t[1]); }},
      {"divide", {normal(3, 4), positive(3, 4)}, [](const T& t) { return divide(t[0], t[1]); }},
      {"divide (column)", {normal(3, 4), positive(3, 1)}, [](const T& t) { return divide(t[0], t[1]); }},
      {"reshape", {normal(6, 4)}, [](const T& t) { return reshape(t[0], 3, 8); }},
      {"gather_rows (repeats, zero rows)", {normal(4, 3)},
       [](const T& t) { return gather_rows(t[0], arma::uvec{2, 0, no_row, 2, 3, 2, no_row}); }},
      {"add constant", {normal(3, 4)}, [](const T& t) { return add(t[0], 2.5); }},
      {"scale", {normal(3, 4)}, [](const T& t) { return scale(t[0], -1.5); }},
      {"exp", {normal(3, 4)}, [](const T& t) { return exp(t[0]); }},
      {"log", {positive(3, 4)}, [](const T& t) { return log(t[0]); }},
      {"sqrt", {positive(3, 4)}, [](const T& t) { return sqrt(t[0]); }},
      {"pow 3", {normal(3, 4)}, [](const T& t) { return pow(t[0], 3.0); }},
      {"pow -0.5", {positive(3, 4)}, [](const T& t) { return pow(t[0], -0.5); }},
      {"sum all", {normal(3, 4)}, [](const T& t) { return sum(t[0]); }},
      {"sum each_row", {normal(3, 4)}, [](const T& t) { return sum(t[0], Over::each_row); }},
      {"sum each_column", {normal(3, 4)}, [](const T& t) { return sum(t[0], Over::each_column); }},
      {"mean all", {normal(3, 4)}, [](const T& t) { return mean(t[0]); }},
      {"mean each_row", {normal(3, 4)}, [](const T& t) { return mean(t[0], Over::each_row); }},
      {"mean each_column", {normal(3, 4)}, [](const T& t) { return mean(t[0], Over::each_column); }},
      {"relu", {normal(3, 4)}, [](const T& t) { return relu(t[0]); }},
      {"tanh", {normal(3, 4)}, [](const T& t) { return tanh(t[0]); }},
      {"sigmoid", {normal(3, 4)}, [](const T& t) { return sigmoid(t[0]); }},
      {"log_softmax", {normal(3, 4)}, [](const T& t) { return log_softmax(t[0]); }},
  };
  for (const PrimitiveCase& p : cases) {
    INFO(p.name);
    const check::Differentiable fn = differentiable(p);
    CHECK(check::check_vjp(fn).verdict() != Verdict::fail);
    CHECK(check::check_jacobian(fn).verdict() != Verdict::fail);
  }
}
