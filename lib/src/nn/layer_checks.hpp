#pragma once
// Argument checks shared by the layers (private to lib/src/nn). Messages name the layer as
// name() prints it, the method, and the shapes at fault:
//   "Linear(4, 3).forward: X is 5x2 but the layer takes 4 rows (X is features x batch)"
#include "gradlab/nn/layer.hpp"

#include <string>

namespace gradlab::nn::detail {

// "<layer>.<method>", e.g. "Linear(4, 3).forward".
std::string where(const Layer& layer, const char* method);

// A short decimal for names and messages: 0.01, 0.5, 1e-05.
std::string number(double value);

// forward's input: not empty, and `rows` rows (rows = 0: any number of rows).
void require_input(const Layer& layer, const arma::mat& X, arma::uword rows);

// backward's dY: a forward has run, and dY has the shape of that forward's output, rows x cols
// (the same batch). rows = cols = 0: no forward has run yet.
void require_upstream(const Layer& layer, const arma::mat& dY, arma::uword rows,
                      arma::uword cols);

}  // namespace gradlab::nn::detail
