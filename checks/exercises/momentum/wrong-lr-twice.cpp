// expect: scale 0.1  lr applied twice: v = mu v + lr dW, then W -= lr v (c = lr = 0.1)
#include "exercise.hpp"

void momentum_step(arma::mat& W, arma::mat& V, const arma::mat& dW, double lr, double momentum) {
  V = momentum * V + lr * dW;
  W -= lr * V;
}
