#include "layer_checks.hpp"

#include "gradlab/shape.hpp"

#include <sstream>
#include <stdexcept>

namespace gradlab::nn::detail {

std::string where(const Layer& layer, const char* method) {
  return layer.name() + "." + method;
}

std::string number(double value) {
  std::ostringstream out;
  out << value;  // default stream format: 6 significant digits, no trailing zeros
  return out.str();
}

void require_input(const Layer& layer, const arma::mat& X, arma::uword rows) {
  if (X.is_empty())
    throw std::invalid_argument(where(layer, "forward") + ": X is " + shape_of(X) +
                                " (empty; X is features x batch)");
  if (rows != 0 && X.n_rows != rows)
    throw std::invalid_argument(where(layer, "forward") + ": X is " + shape_of(X) +
                                " but the layer takes " + std::to_string(rows) +
                                " rows (X is features x batch)");
}

void require_upstream(const Layer& layer, const arma::mat& dY, arma::uword rows,
                      arma::uword cols) {
  if (rows == 0 || cols == 0)
    throw std::invalid_argument(where(layer, "backward") + ": called before forward (dY is " +
                                shape_of(dY) + ", nothing is cached)");
  if (dY.n_rows != rows || dY.n_cols != cols)
    throw std::invalid_argument(where(layer, "backward") + ": dY is " + shape_of(dY) +
                                " but the last forward returned " + std::to_string(rows) + "x" +
                                std::to_string(cols) +
                                " (dY must be dL/dY for that same batch)");
}

}  // namespace gradlab::nn::detail
