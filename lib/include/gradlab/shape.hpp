#pragma once
// Argument checks shared by the whole library: every public function validates shapes and
// throws std::invalid_argument naming itself and the shapes at fault.
#include <armadillo>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace gradlab {

// "3x5": the shape of a matrix as messages print it.
std::string shape_of(const arma::mat& A);

// Throws std::invalid_argument("<function>: <message>").
[[noreturn]] void fail(const char* function, const std::string& message);

// Throws std::invalid_argument("<function>: <message>") when condition is false.
void require(bool condition, const char* function, const std::string& message);

// The same with the message built only when it is needed: make() returns it. For the checks on
// every training step, where building a message that is not thrown would cost more than the
// check (a batch of 1 takes tens of microseconds).
template <class MakeMessage>
requires std::is_invocable_r_v<std::string, MakeMessage>
void require(bool condition, const char* function, MakeMessage&& make) {
  if (!condition) fail(function, make());
}

// Throws unless A and B have the same shape: "<function>: dY is 3x4 but X is 3x5 (must match)".
void require_same_shape(const char* function, const char* a_name, const arma::mat& A,
                        const char* b_name, const arma::mat& B);

// Throws unless the matrix has at least one element.
void require_nonempty(const char* function, const char* name, const arma::mat& A);

// The shapes of an affine map Y = W X + b (ops::affine_forward and its fast twin): throws unless
// W's columns equal X's rows and b has one entry per row of W.
void require_affine_shapes(const char* function, const arma::mat& W, const arma::vec& b,
                           const arma::mat& X);

// The same for its backward: W's columns equal X's rows, and dY is W X's shape.
void require_affine_backward_shapes(const char* function, const arma::mat& dY, const arma::mat& W,
                                    const arma::mat& X);

// Throws unless labels has one entry per column of a classes x B matrix and each label < classes.
void require_labels(const char* function, const arma::uvec& labels, const arma::mat& scores);

}  // namespace gradlab
