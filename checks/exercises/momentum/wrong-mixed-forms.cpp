// expect: sign  the two forms mixed: v = mu v - lr dW, then W -= v, so every step goes uphill
#include "exercise.hpp"

void momentum_step(arma::mat& W, arma::mat& V, const arma::mat& dW, double lr, double momentum) {
  V = momentum * V - lr * dW;
  W -= V;
}
