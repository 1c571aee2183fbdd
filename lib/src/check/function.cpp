#include "gradlab/check/function.hpp"

#include "gradlab/shape.hpp"

#include <memory>

namespace gradlab::check {

namespace {

constexpr const char* who = "check::function";

}  // namespace

const arma::mat& Inputs::operator[](std::string_view name) const {
  for (const auto& [n, value] : tensors_)
    if (n == name) return value;
  std::string known;
  for (const auto& [n, value] : tensors_) known += (known.empty() ? "" : ", ") + n;
  fail(who, "there is no input called '" + std::string(name) + "' (the inputs are " + known + ")");
}

Differentiable function(std::vector<std::pair<std::string, arma::mat>> inputs, Forward forward,
                        Backward backward) {
  require(!inputs.empty(), who, "the function needs at least one input");
  require(static_cast<bool>(forward) && static_cast<bool>(backward), who,
          "the function needs both forward and backward");
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& [name, value] = inputs[i];
    require(!name.empty(), who, [&] { return "input " + std::to_string(i) + " has no name"; });
    for (std::size_t j = 0; j < i; ++j)
      require(inputs[j].first != name, who, [&] { return "two inputs are called '" + name + "'"; });
    require(value.n_elem > 0, who, [&] { return "input '" + name + "' is empty (" + shape_of(value) + ")"; });
    require(value.is_finite(), who, [&] {
      return "input '" + name + "' has NaN or infinite entries: a finite difference needs finite values";
    });
  }

  // The copies live in the Inputs the lambdas read; the checker perturbs them in place.
  auto owned = std::shared_ptr<Inputs>(new Inputs(std::move(inputs)));
  Differentiable fn;
  for (auto& [name, value] : owned->tensors_) fn.inputs.push_back({name, &value});
  fn.forward = [owned, f = std::move(forward)] { return f(*owned); };
  fn.backward = [owned, b = std::move(backward)](const arma::mat& G) { return b(G, *owned); };
  fn.owner = owned;
  return fn;
}

std::string shapes_of(const Differentiable& fn) {
  std::string text;
  for (const auto& [name, value] : fn.inputs)
    text += (text.empty() ? "" : ", ") + name + " " + shape_of(*value);
  return text;
}

}  // namespace gradlab::check
