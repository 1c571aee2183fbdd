#pragma once
// The bridge from layers, networks and losses to the gradient checker (check/checker.hpp).
// Each function returns a check::Differentiable that check_vjp, check_jacobian and
// check_directional accept:
//
//   check::CheckResult r = check::check_vjp(nn::differentiable(layer, X));
//
// The checker perturbs the inputs in place: "X" is a copy owned by the Differentiable, the
// parameters are the layer's own (restored exactly after each perturbation). The layer, network
// or loss must outlive the returned Differentiable, and must not be used for anything else
// while it is being checked.
//
// backward(G) first fills EVERY gradient buffer with NaN, then runs forward and backward: a
// gradient that backward forgot to assign stays NaN and fails the check, and one that backward
// accumulated (+=) turns NaN too. So the check needs no zero_grad, and cannot be passed by a
// gradient left over from an earlier backward.
//
// Dropout: each Dropout checked is put in frozen-mask mode (see nn/dropout.hpp), so that every
// forward of the check drops the same units; it goes back to its previous mode when the last
// copy of the Differentiable is destroyed. BatchNorm in train mode updates its running
// statistics on every forward; they are saved here and put back at that same moment, so a
// check leaves the network as it found it (the gradients aside).
// The mode (train or eval) is whatever the layer or network is in: set it before.
#include "gradlab/check/checker.hpp"
#include "gradlab/nn/layer.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/sequential.hpp"

namespace gradlab::nn {

// One layer. X: in x B.  inputs: "X", then every parameter ("W", "b", ...);
// forward() = layer.forward(X): out x B;
// backward(G) = {dX, dW, db, ...} from layer.backward(G) after a fresh forward.
// With check_vjp this is the layer check of the checker's contract: <G, layer(X)> for a random
// G over the whole batch, so the coupling between samples (batch norm) is exercised.
check::Differentiable differentiable(Layer& layer, const arma::mat& X);

// The layer check in one call, for gradlab's layers and a user's own Layer subclass alike:
// check_vjp of differentiable(layer, X), the report labelled with layer.name() and the shapes
// of X and of every parameter ("X 3x6, W 4x3, b 4x1").
check::CheckResult check_layer(Layer& layer, const arma::mat& X, const check::Options& options = {});

// A whole network with its loss, on a fixed batch. X: in x B, labels: B.
// inputs: "X", then every parameter ("0.W", "0.b", ...);
// forward() = [ loss.forward(net.forward(X), labels) ]: the scalar loss as a 1x1 matrix;
// backward(G) = G(0,0) times {dL/dX, dL/d(0.W), ...} from net.backward(loss.backward()).
check::Differentiable differentiable(Sequential& net, Loss& loss, const arma::mat& X,
                                     const arma::uvec& labels);

// A loss alone. outputs: C x B, labels: B.  inputs: "outputs";
// forward() = [ loss.forward(outputs, labels) ],  backward(G) = { G(0,0) loss.backward() }.
check::Differentiable differentiable(Loss& loss, const arma::mat& outputs,
                                     const arma::uvec& labels);

}  // namespace gradlab::nn
