// The checker pointed at a user's own code: check::function (check/function.hpp) builds a
// checkable function from named matrices and two lambdas, and nn::check_layer
// (nn/differentiable.hpp) checks a user's own nn::Layer subclass in one call. A right backward
// passes, a deliberately wrong one FAILs naming the tensor, the function works on its own copies,
// and bad input is refused naming the input at fault.
#include <catch2/catch.hpp>

#include "gradlab/check/checker.hpp"
#include "gradlab/check/function.hpp"
#include "gradlab/nn/differentiable.hpp"
#include "gradlab/nn/layer.hpp"
#include "gradlab/random.hpp"
#include "support.hpp"

#include <stdexcept>

namespace {

using namespace gradlab;
using check::Gradients;
using check::Inputs;
using check::Verdict;
using Catch::Contains;
using checks::table_of;

// Y = A B (a matrix product): dA = G B^T, dB = A^T G.
arma::mat product(const Inputs& in) { return in["A"] * in["B"]; }
Gradients product_backward(const arma::mat& G, const Inputs& in) {
  return {G * in["B"].t(), in["A"].t() * G};
}

check::Differentiable product_of(const arma::mat& A, const arma::mat& B,
                                 const check::Backward& backward) {
  return check::function({{"A", A}, {"B", B}}, product, backward);
}

struct Data {
  arma::mat A, B;
  Data() {
    Rng rng(21);
    A = random_normal(3, 4, rng);
    B = random_normal(4, 5, rng);
  }
};

// A user's own layer: Y = s ⊙ X with a learnt scale s (one entry per row of X), ds = sum_b dY ⊙ X.
class RowScale : public nn::Layer {
 public:
  enum class Bug { none, accumulates, forgets_the_input };
  explicit RowScale(arma::uword rows, Bug bug = Bug::none) : bug_(bug) {
    s_ = arma::linspace(0.5, 2.0, rows);
    ds_.zeros(rows, 1);
  }
  arma::mat forward(const arma::mat& X) override {
    X_ = X;
    arma::mat Y = X;
    Y.each_col() %= arma::vec(s_);
    return Y;
  }
  arma::mat backward(const arma::mat& dY) override {
    const arma::mat ds = arma::sum(dY % X_, 1);
    if (bug_ == Bug::accumulates)
      ds_ += ds;
    else
      ds_ = ds;
    arma::mat dX = dY;
    if (bug_ != Bug::forgets_the_input) dX.each_col() %= arma::vec(s_);
    return dX;
  }
  std::vector<Parameter> parameters() override { return {{"s", &s_, &ds_}}; }
  std::string name() const override { return "RowScale"; }

 private:
  Bug bug_;
  arma::mat s_, ds_, X_;
};

}  // namespace

TEST_CASE("own op: check::function with a right backward passes, every element of every input compared",
          "[function]") {
  const Data d;
  const check::CheckResult r = check::check_vjp(product_of(d.A, d.B, product_backward));
  INFO(table_of(r));
  REQUIRE(r.verdict() == Verdict::pass);
  REQUIRE(r.tensors.size() == 2);
  CHECK(r.tensors[0].name == "dA");
  CHECK(r.tensors[0].checked == d.A.n_elem);
  CHECK(r.tensors[1].name == "dB");
  CHECK(r.tensors[1].checked == d.B.n_elem);
  CHECK(check::shapes_of(product_of(d.A, d.B, product_backward)) == "A 3x4, B 4x5");
  CHECK(check::check_jacobian(product_of(d.A, d.B, product_backward)).verdict() == Verdict::pass);
  CHECK(check::check_directional(product_of(d.A, d.B, product_backward)).verdict() == Verdict::pass);
}

TEST_CASE("own op: check::function FAILs a deliberately wrong backward and names the tensor",
          "[function]") {
  const Data d;
  // the bug: dB = A^T G scaled by 2 (a factor off), dA right
  const auto twice = [](const arma::mat& G, const Inputs& in) -> Gradients {
    return {G * in["B"].t(), 2.0 * in["A"].t() * G};
  };
  const check::CheckResult r = check::check_vjp(product_of(d.A, d.B, twice));
  INFO(table_of(r));
  REQUIRE(r.verdict() == Verdict::fail);
  CHECK(r.tensors[0].verdict() == Verdict::pass);
  CHECK(r.tensors[1].verdict() == Verdict::fail);
  CHECK(r.tensors[1].failed == d.B.n_elem);
  CHECK_THAT(table_of(r), Contains("FAIL"));
  CHECK(check::check_directional(product_of(d.A, d.B, twice)).verdict() == Verdict::fail);
}

TEST_CASE("own op: a backward with a gradient missing or of the wrong shape FAILs its contract",
          "[function]") {
  const Data d;
  const auto one = [](const arma::mat& G, const Inputs& in) -> Gradients { return {G * in["B"].t()}; };
  const check::CheckResult missing = check::check_vjp(product_of(d.A, d.B, one));
  CHECK(missing.verdict() == Verdict::fail);
  CHECK_THAT(missing.contract.problem, Contains("backward returned 1 gradients for 2 inputs"));
  const auto transposed = [](const arma::mat& G, const Inputs& in) -> Gradients {
    return {G * in["B"].t(), G.t() * in["A"]};
  };
  const check::CheckResult wrong_shape = check::check_vjp(product_of(d.A, d.B, transposed));
  CHECK(wrong_shape.verdict() == Verdict::fail);
  CHECK_THAT(wrong_shape.contract.problem, Contains("dB is 5x4 but B is 4x5"));
}

TEST_CASE("own op: check::function works on its own copies of the inputs", "[function]") {
  Data d;
  const arma::mat A0 = d.A, B0 = d.B;
  check::Differentiable fn = product_of(d.A, d.B, product_backward);
  d.A.fill(1e6);  // a later change to the caller's matrix does not reach the function
  CHECK(arma::approx_equal(fn.forward(), A0 * B0, "absdiff", 1e-12));
  d.A = A0;
  REQUIRE(check::check_vjp(fn).verdict() == Verdict::pass);
  // the check perturbed the function's copies and restored them exactly; the caller's are as given
  CHECK(arma::all(arma::vectorise(*fn.inputs[0].second == A0)));
  CHECK(arma::all(arma::vectorise(*fn.inputs[1].second == B0)));
  CHECK(arma::all(arma::vectorise(d.B == B0)));
  const check::Differentiable copy = fn;  // copies share the inputs
  CHECK(copy.inputs[0].second == fn.inputs[0].second);
}

TEST_CASE("own op: check::function refuses bad input, naming the input at fault", "[function]") {
  const Data d;
  const arma::mat empty;
  arma::mat with_nan = d.A;
  with_nan(1, 2) = arma::datum::nan;
  arma::mat with_inf = d.A;
  with_inf(0, 0) = arma::datum::inf;
  const auto refused = [&](std::vector<std::pair<std::string, arma::mat>> inputs,
                           const std::string& message) {
    INFO(message);
    REQUIRE_THROWS_WITH(check::function(std::move(inputs), product, product_backward),
                        Contains("check::function: " + message));
  };
  refused({}, "the function needs at least one input");
  refused({{"A", d.A}, {"", d.B}}, "input 1 has no name");
  refused({{"A", d.A}, {"A", d.B}}, "two inputs are called 'A'");
  refused({{"A", empty}, {"B", d.B}}, "input 'A' is empty (0x0)");
  refused({{"A", with_nan}, {"B", d.B}}, "input 'A' has NaN or infinite entries");
  refused({{"A", d.A}, {"B", with_inf}}, "input 'B' has NaN or infinite entries");
  REQUIRE_THROWS_AS(check::function({{"A", d.A}}, check::Forward{}, check::Backward{}),
                    std::invalid_argument);
  // a lambda that asks for a name that is not an input: the error names it and the inputs there are
  const check::Differentiable misnamed = check::function(
      {{"A", d.A}, {"B", d.B}}, [](const Inputs& in) -> arma::mat { return in["W"] * in["B"]; },
      product_backward);
  REQUIRE_THROWS_WITH(check::check_vjp(misnamed),
                      "check::function: there is no input called 'W' (the inputs are A, B)");
}

TEST_CASE("own layer: nn::check_layer passes a right Layer subclass, labelled with its name",
          "[function][nn]") {
  Rng rng(22);
  const arma::mat X = random_normal(3, 6, rng);
  RowScale layer(3);
  const check::CheckResult r = nn::check_layer(layer, X);
  INFO(table_of(r));
  REQUIRE(r.verdict() == Verdict::pass);
  CHECK(r.label == "RowScale");
  CHECK(r.shape == "X 3x6, s 3x1");
  REQUIRE(r.tensors.size() == 2);
  CHECK(r.tensors[0].checked == X.n_elem);
  CHECK(r.tensors[1].checked == 3);
}

TEST_CASE("own layer: nn::check_layer FAILs a layer that accumulates its gradient or forgets a factor",
          "[function][nn]") {
  Rng rng(23);
  const arma::mat X = random_normal(3, 6, rng);
  RowScale accumulates(3, RowScale::Bug::accumulates);
  const check::CheckResult r1 = nn::check_layer(accumulates, X);
  INFO(table_of(r1));
  CHECK(r1.verdict() == Verdict::fail);
  CHECK(r1.tensors[1].verdict() == Verdict::fail);
  RowScale forgets(3, RowScale::Bug::forgets_the_input);
  const check::CheckResult r2 = nn::check_layer(forgets, X);
  INFO(table_of(r2));
  CHECK(r2.verdict() == Verdict::fail);
  CHECK(r2.tensors[0].verdict() == Verdict::fail);
  CHECK(r2.tensors[1].verdict() == Verdict::pass);
}
