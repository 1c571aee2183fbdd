// expect: missing_term  only the diagonal of the Jacobian is used, dZ = Y ⊙ dY: the -s <s, dY> term is missing
#include "exercise.hpp"

arma::mat softmax_backward(const arma::mat& dY, const arma::mat& Y) {
  return Y % dY;
}
