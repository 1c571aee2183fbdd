#include "gradlab/shape.hpp"

namespace gradlab {

std::string shape_of(const arma::mat& A) {
  return std::to_string(A.n_rows) + "x" + std::to_string(A.n_cols);
}

void fail(const char* function, const std::string& message) {
  throw std::invalid_argument(std::string(function) + ": " + message);
}

void require(bool condition, const char* function, const std::string& message) {
  if (!condition) fail(function, message);
}

void require_same_shape(const char* function, const char* a_name, const arma::mat& A,
                        const char* b_name, const arma::mat& B) {
  require(A.n_rows == B.n_rows && A.n_cols == B.n_cols, function, [&] {
    return std::string(a_name) + " is " + shape_of(A) + " but " + b_name + " is " + shape_of(B) +
           " (they must have the same shape)";
  });
}

void require_nonempty(const char* function, const char* name, const arma::mat& A) {
  require(!A.is_empty(), function,
          [&] { return std::string(name) + " is empty (" + shape_of(A) + ")"; });
}

namespace {
void require_product(const char* function, const arma::mat& W, const arma::mat& X) {
  require(W.n_cols == X.n_rows, function, [&] {
    return "W is " + shape_of(W) + " but X is " + shape_of(X) +
           " (W's columns must equal X's rows)";
  });
}
}  // namespace

void require_affine_shapes(const char* function, const arma::mat& W, const arma::vec& b,
                           const arma::mat& X) {
  require_product(function, W, X);
  require(b.n_elem == W.n_rows, function, [&] {
    return "b has " + std::to_string(b.n_elem) + " entries but W is " + shape_of(W) +
           " (one bias per row of W)";
  });
}

void require_affine_backward_shapes(const char* function, const arma::mat& dY, const arma::mat& W,
                                    const arma::mat& X) {
  require_product(function, W, X);
  require(dY.n_rows == W.n_rows && dY.n_cols == X.n_cols, function, [&] {
    return "dY is " + shape_of(dY) + " but W X is " + std::to_string(W.n_rows) + "x" +
           std::to_string(X.n_cols);
  });
}

void require_labels(const char* function, const arma::uvec& labels, const arma::mat& scores) {
  require(labels.n_elem == scores.n_cols, function, [&] {
    return "labels has " + std::to_string(labels.n_elem) + " entries but the scores are " +
           shape_of(scores) + " (one label per column)";
  });
  for (arma::uword b = 0; b < labels.n_elem; ++b)
    require(labels(b) < scores.n_rows, function, [&] {
      return "label " + std::to_string(labels(b)) + " at column " + std::to_string(b) +
             " is out of range for " + std::to_string(scores.n_rows) + " classes";
    });
}

}  // namespace gradlab
