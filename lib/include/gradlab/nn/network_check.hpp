#pragma once
// The exhaustive check of a whole network, made fast by recomputing only what a perturbation
// changes.
//
// check_vjp(nn::differentiable(net, loss, X, labels)) perturbs each element of X and of every
// parameter and re-runs the whole forward pass each time: 2 passes per element with central
// differences, so checking P numbers costs about 2 P forward passes, O(P^2) work in all. But one
// element changes little of the network:
//   - W_ij or b_i of Linear layer l changes row i of that layer's output (the pre-activation
//     Z_l = W_l A + b_l) and nothing else: Z_l(i, :) += delta A(j, :), B numbers;
//   - an elementwise activation (ReLU, LeakyReLU, Tanh, Sigmoid) keeps a changed row a row
//     (it is re-run on that row only);
//   - the next Linear turns a changed row i of its input into a rank-one change of its output,
//     Z + W(:, i) (new row - old row), an out x B update instead of an out x in x B product;
//   - X(j, b) changes column b only, and every per-sample layer keeps it so (a Linear adds
//     W(:, j) delta to column b; LogSoftmax acts per column); the loss then changes by
//     (l_b' - l_b) / B, its one changed sample;
//   - any other layer (BatchNorm, Dropout, a layer written by a student) is re-run whole on its
//     full input, and everything above it too.
// The activations of the unperturbed forward pass are computed once and every perturbation
// starts from them, so the layers below a perturbed one are never re-run.
//
// Same check, same report: the tensors, steps, schemes, tolerances, kink rule (classify) and the
// upstream gradient g (drawn from options.seed as check_vjp draws G) are check_vjp's; analytic
// gradients and the backward contract come from nn::differentiable exactly as check_vjp gets
// them. The numeric values differ from check_vjp's only by rounding (the differences of the loss
// are formed from the parts that moved, which is if anything more accurate), so the verdicts are
// the same; checks/check_network_check.cpp compares the two.
//
// What the shortcuts trust: each layer's declared Layer::structure() (affine for Linear,
// elementwise for the four activations above, per_column for LogSoftmax; their own forward is
// called on the changed rows or columns), verified on the batch before it is used (a layer whose
// forward does not bear its declaration out is re-run whole), and that the loss is a mean over
// samples (verified likewise: when the per-sample losses do not average to the batch loss, the
// whole loss is re-evaluated every time instead). benchmarks/gradcheck.cpp measures what the
// shortcuts save against check_vjp.
#include "gradlab/check/checker.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/nn/sequential.hpp"

namespace gradlab::nn {

// The network with its loss on a fixed batch, X: in x B, labels: B. Tensors "dX", then one per
// parameter ("d0.W", "d0.b", ...) as check_vjp(nn::differentiable(net, loss, X, labels)) reports
// them; method "network". The network is left as a forward pass on X leaves it (its parameters
// exactly as they were). Throws std::invalid_argument for mismatched shapes or bad options.
check::CheckResult check_network(Sequential& net, Loss& loss, const arma::mat& X,
                                 const arma::uvec& labels, const check::Options& options = {});

// The fast mode for a network: check_directional(nn::differentiable(net, loss, X, labels), ...)
// without its overheads. The same comparison (directional derivatives of g L along random unit
// directions v spanning X and every parameter, one step h = step max(1, largest |input|),
// classify), with three differences that make it several times faster on an MNIST-sized net:
//   - the directions are random signs, v = s / sqrt(n) with s_i = +-1 (one random bit per
//     entry: a random unit direction all the same, while drawing n normals costs more than the
//     two forward passes each direction is checked with);
//   - the gradients are read from the layers' own buffers (pre-filled with NaN as
//     nn::differentiable does), not copied out and scaled at every backward;
//   - the contract is checked on the network's own backward, against its upstream gradient
//     dlogits: run twice it gives the same gradients, and backward(a dlogits + D) =
//     a backward(dlogits) + backward(D) for a random D (nn::differentiable's contract tests the
//     same linearity through the scalar g).
// One tensor "directions" (directions x 1); method "network-directional". The network is left
// as after a forward and backward pass on X; its parameters exactly as they were.
check::CheckResult check_network_directional(Sequential& net, Loss& loss, const arma::mat& X,
                                             const arma::uvec& labels, int directions = 8,
                                             const check::Options& options = {});

// Batch invariance, a contract of every layer but batch norm: backward on a batch of B equals
// B single-sample backward passes, the data gradients stacked and the parameter gradients
// summed; for a loss that is a mean over the batch, its gradient is the mean of the per-sample
// ones (each sample's divided by B). A reduction over the wrong axis, or samples leaking into
// each other, breaks it. Batch norm couples the samples by design (its statistics are the
// batch's), so it is the documented exception: check it against its closed form instead
// (ops/batchnorm.hpp). Differences are relative to the largest gradient entry; `tolerance`
// allows the rounding of sums taken in another order.
struct Invariance {
  bool holds = true;
  double max_rel_difference = 0.0;  // over every gradient, relative to its largest entry
  std::string problem;              // the worst tensor and sample, when it does not hold
};
Invariance check_batch_invariance(Layer& layer, const arma::mat& X, const arma::mat& G,
                                  double tolerance = 1e-12);
Invariance check_batch_invariance(Loss& loss, const arma::mat& outputs, const arma::uvec& labels,
                                  double tolerance = 1e-12);

// Determinism across thread counts: the network's gradients (dX through every parameter's) on
// one thread and on every thread the BLAS may use, bit for bit. gradlab promises it: its loops
// give each output entry to one thread, in the same order as on one (fast/parallel.hpp), and
// OpenBLAS splits a product by blocks of the output. The thread count goes back to the policy
// afterwards (fast::blas::fix_threads(0)).
struct Determinism {
  int threads = 1;                  // the count compared with one thread
  bool identical = true;
  double max_rel_difference = 0.0;  // relative to each gradient's largest entry
  std::string problem;              // the first gradient that differs
};
Determinism check_thread_determinism(Sequential& net, Loss& loss, const arma::mat& X,
                                     const arma::uvec& labels);

// Which layer is wrong. Each layer's backward is checked alone (check_vjp of
// nn::differentiable(layer, A_k)) on the input A_k that the forward pass on X gives it, in
// forward order, then the loss on the network's outputs; the first that fails is named with its
// failing tensor and that tensor's diagnosis. A bug that shows in no layer alone (state kept
// across calls of the whole network) finds nothing: `found` is false. The network is left as a
// forward pass on X leaves it.
struct Bisection {
  bool found = false;
  std::size_t layer = 0;   // index in the network; net.size() for the loss
  std::string name;        // the layer's name(), or the loss's
  std::string tensor;      // its first failing tensor, e.g. "dX"
  check::Diagnosis diagnosis;
  check::CheckResult result;  // the failing layer's check
  std::string summary() const;  // "layer 1, Linear(4, 4): dX: transpose: ..." or "no layer fails alone"
};
Bisection bisect_network(Sequential& net, Loss& loss, const arma::mat& X, const arma::uvec& labels,
                         const check::Options& options = {});

}  // namespace gradlab::nn
