// Exercise momentum: one step of SGD with (heavy-ball) momentum, in place.
//
// Momentum keeps a velocity V, one entry per weight, that starts at 0 and accumulates past
// gradients, each step's older part shrunk by the factor momentum (mu). One step, given the
// gradient dW of this step, is
//     V = mu V + dW
//     W = W - lr V
// Write momentum_step: perform that step, updating W and V in place (they are references).
// Nothing is returned.
//
// Shapes: W, V and dW all have the shape of the weight matrix (any, say M x D). lr > 0 and
// 0 <= momentum < 1 are numbers.
//
// The classical form u = mu u - lr dW, W = W + u (the learning rate inside the velocity)
// gives the same W at every step while lr is constant, and is accepted too: the grader calls
// your function for several steps and compares W.
//
// In the reports: report 002, Sec. 2.3 and report 000, Sec. IV train with momentum SGD; neither
// prints the update rule.
//
// Run: ./workbench exercise momentum   (hints: ./workbench exercise momentum --hint 1)
#include "exercise.hpp"

void momentum_step(arma::mat& W, arma::mat& V, const arma::mat& dW, double lr, double momentum) {
  // Your code here.
  exercise::not_implemented_yet("momentum_step");
}
