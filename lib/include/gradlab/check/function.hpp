#pragma once
// A checkable function (check::Differentiable) from named matrices and two lambdas: the way to
// point the checker at an op of one's own.
//
//   check::Differentiable fn = check::function({{"X", X}, {"W", W}}, forward, backward);
//   check::CheckResult r = check::check_vjp(fn);
//   r.label = "my op";  r.shape = check::shapes_of(fn);   (what print_table shows)
//
//   forward(in)      returns Y as an arma::mat; in["X"] is the current value of input "X".
//   backward(G, in)  returns check::Gradients: the gradients of <G, Y> with respect to each
//                    input, in the order the inputs were given (dX, dW above).
//
// The function owns copies of the matrices: the checker perturbs those copies one element at a
// time (restoring each exactly), never the caller's, and a later change to the caller's matrices
// does not reach the function. Copies of the Differentiable share the copies.
//
// Both lambdas must name their return type (-> arma::mat, -> check::Gradients): an Armadillo
// expression returned as `auto` may refer to temporaries destroyed when the lambda returns, so
// any other return type is refused at compile time.
//
// Bad input throws std::invalid_argument naming "check::function" and the input at fault: no
// inputs, an empty or repeated name, an empty matrix, a matrix with NaN or infinite entries, and
// (when the check runs) a lambda asking for a name that is not an input. A backward that returns
// the wrong number of gradients, or one of the wrong shape, is the checker's to report: a FAIL
// whose contract names the problem.
#include "gradlab/check/checker.hpp"

#include <armadillo>

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace gradlab::check {

// The gradients backward returns, one per input, in the inputs' order.
using Gradients = std::vector<arma::mat>;

class Inputs;
using Forward = std::function<arma::mat(const Inputs&)>;
using Backward = std::function<Gradients(const arma::mat& G, const Inputs&)>;

// The function Y = forward(inputs) with the given backward, owning copies of `inputs`.
Differentiable function(std::vector<std::pair<std::string, arma::mat>> inputs, Forward forward,
                        Backward backward);

// The named inputs of a function under check, as the lambdas see them.
class Inputs {
 public:
  // The current value of the input called `name`; throws std::invalid_argument naming it and
  // the inputs there are when there is none.
  const arma::mat& operator[](std::string_view name) const;

 private:
  explicit Inputs(std::vector<std::pair<std::string, arma::mat>> tensors)
      : tensors_(std::move(tensors)) {}
  friend Differentiable function(std::vector<std::pair<std::string, arma::mat>>, Forward,
                                 Backward);
  std::vector<std::pair<std::string, arma::mat>> tensors_;
};

// "X 4x6, W 3x4": the names and shapes of a function's inputs, for a report's shapes column
// (CheckResult::shape).
std::string shapes_of(const Differentiable& fn);

// The same for lambdas, whose return types are checked first (see above).
template <class F, class B>
Differentiable function(std::vector<std::pair<std::string, arma::mat>> inputs, F forward,
                        B backward) {
  static_assert(std::is_invocable_v<F&, const Inputs&>,
                "check::function: forward must take (const check::Inputs&)");
  static_assert(std::is_invocable_v<B&, const arma::mat&, const Inputs&>,
                "check::function: backward must take (const arma::mat& G, const check::Inputs&)");
  static_assert(std::is_same_v<std::invoke_result_t<F&, const Inputs&>, arma::mat>,
                "check::function: forward must return arma::mat (write -> arma::mat): an "
                "Armadillo expression returned as auto may refer to temporaries already destroyed");
  static_assert(
      std::is_same_v<std::invoke_result_t<B&, const arma::mat&, const Inputs&>, Gradients>,
      "check::function: backward must return check::Gradients (write -> check::Gradients), one "
      "gradient per input in the inputs' order");
  return function(std::move(inputs), Forward(std::move(forward)), Backward(std::move(backward)));
}

}  // namespace gradlab::check
