// A correct answer: dX = dY ⊙ Y ⊙ (1 - Y), since sigma' = sigma (1 - sigma).
#include "exercise.hpp"

arma::mat sigmoid_backward(const arma::mat& dY, const arma::mat& Y) {
  return dY % Y % (1.0 - Y);
}
