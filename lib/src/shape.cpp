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
