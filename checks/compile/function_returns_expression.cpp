// Must not compile: a forward lambda that returns an Armadillo expression (auto) instead of an
// arma::mat. The expression would refer to exp(X), a temporary destroyed when the lambda returns;
// check::function refuses it with a static_assert that says what to write. With
// RETURN_TYPE_WRITTEN defined, the lambda names its return type (-> arma::mat) and it compiles.
#include "gradlab/check/function.hpp"

#ifdef RETURN_TYPE_WRITTEN
#define FORWARD_RETURNS -> arma::mat
#else
#define FORWARD_RETURNS
#endif

int main() {
  const arma::mat X(2, 3, arma::fill::ones);
  const auto forward = [](const gradlab::check::Inputs& in) FORWARD_RETURNS {
    return arma::log1p(arma::exp(in["X"]));
  };
  const auto backward = [](const arma::mat& G, const gradlab::check::Inputs&) -> gradlab::check::Gradients {
    return {G};
  };
  return gradlab::check::function({{"X", X}}, forward, backward).inputs.size() == 1 ? 0 : 1;
}
