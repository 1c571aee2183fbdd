// expect: missing_term  the velocity is ignored: a plain SGD step W -= lr dW
#include "exercise.hpp"

void momentum_step(arma::mat& W, arma::mat& V, const arma::mat& dW, double lr, double momentum) {
  W -= lr * dW;
}
