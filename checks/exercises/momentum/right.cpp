// A correct answer: v = mu v + dW, then W -= lr v, both in place.
#include "exercise.hpp"

void momentum_step(arma::mat& W, arma::mat& V, const arma::mat& dW, double lr, double momentum) {
  V = momentum * V + dW;
  W -= lr * V;
}
