// precision-table: gradlab's ops against a 128-bit reference on hard inputs, beside PyTorch.
// For each case of precision_cases.hpp (saturated tanh and sigmoid, dominating logits, batch
// norm with two samples far apart), the op's forward and backward are run end to end in
// double from the case's X (and upstream gradient dY), and the same mathematics is evaluated in
// GCC's __float128 (libquadmath: 113-bit significands, so its own rounding is 1e-34). Each
// output's error is the largest componentwise relative error |a - q| / |q| (|q| floored at the
// smallest normal double).
// PyTorch's float64 outputs on the same inputs (make_precision.py) get the same measure.
//
// A row passes when gradlab is within 1e-12 of the reference, or when its error is the float64
// limit of the op's design, named in the row with the reason, and no larger than PyTorch's
// (times 2, for rounding luck). Exit status 1 when a row fails. docs/checker.md shows the table.
#include "precision_cases.hpp"

#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/l2_penalty.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/multiclass_hinge.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"
#include "gradlab/text.hpp"

#include <quadmath.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

using namespace gradlab;
using quad = __float128;
using QMat = std::vector<quad>;  // column-major, rows x cols as the case's
using gradlab::precision::Case;

namespace {

constexpr double target = 1e-12;

arma::mat matrix(const std::vector<double>& v, unsigned rows, unsigned cols) {
  return arma::mat(v.data(), rows, cols);  // column-major, as stored
}

QMat to_quad(const std::vector<double>& v) { return QMat(v.begin(), v.end()); }

// Below the smallest normal double a value cannot be held to its relative precision, so there
// the error is measured against that floor.
double error(const arma::mat& a, const QMat& q) {
  double worst = 0.0;
  for (arma::uword i = 0; i < a.n_elem; ++i) {
    const quad d = fabsq(quad(a(i)) - q[i]);
    const quad e = d / std::max(fabsq(q[i]), quad(std::numeric_limits<double>::min()));
    worst = std::max(worst, static_cast<double>(e));
  }
  return worst;
}

double error(const std::vector<double>& a, const QMat& q) {
  return error(arma::mat(a.data(), a.size(), 1), q);
}

// The reference, in quad, from the case's inputs: {forward output, dX}.
struct Reference {
  QMat forward, backward;
};

Reference reference(const Case& c) {
  const unsigned R = c.rows, C = c.cols;
  const QMat X = to_quad(c.X), dY = to_quad(c.dY);
  Reference r;
  const std::string op = c.op;
  const QMat A2 = to_quad(c.A2);
  if (op == "relu" || op == "leaky_relu" || op == "dropout") {
    for (std::size_t i = 0; i < X.size(); ++i) {
      // ReLU and leaky ReLU take the slope of the left side at 0 (ops/relu.hpp)
      const quad slope = op == "dropout" ? A2[i] / (1 - quad(c.scalar))
                         : X[i] > 0     ? quad(1)
                         : op == "relu" ? quad(0)
                                        : quad(c.scalar);
      r.forward.push_back(slope * X[i]);
      r.backward.push_back(dY[i] * slope);
    }
    return r;
  }
  if (op == "affine") {  // Y = W X + b (W: rows2 x rows), dX = W^T dY
    const unsigned M = c.rows2;
    r.forward.assign(M * C, 0);
    r.backward.assign(X.size(), 0);
    for (unsigned b = 0; b < C; ++b)
      for (unsigned i = 0; i < M; ++i) {
        quad y = c.v1[i];
        for (unsigned k = 0; k < R; ++k) y += A2[k * M + i] * X[b * R + k];
        r.forward[b * M + i] = y;
      }
    for (unsigned b = 0; b < C; ++b)
      for (unsigned k = 0; k < R; ++k) {
        quad d = 0;
        for (unsigned i = 0; i < M; ++i) d += A2[k * M + i] * dY[b * M + i];
        r.backward[b * R + k] = d;
      }
    return r;
  }
  if (op == "mse" || op == "nll" || op == "cross_entropy" || op == "l2_penalty") {
    quad loss = 0;
    for (std::size_t i = 0; i < X.size(); ++i) {
      const unsigned b = static_cast<unsigned>(i / R), k = static_cast<unsigned>(i % R);
      quad d = 0;
      if (op == "mse") {  // L = (1/B) sum (Y - T)^2, dY = 2 (Y - T) / B
        loss += (X[i] - A2[i]) * (X[i] - A2[i]) / C;
        d = 2 * (X[i] - A2[i]) / C;
      } else if (op == "nll") {  // L = -(1/B) sum_b logprobs_{label, b}
        if (k == c.labels[b]) loss -= X[i] / C, d = quad(-1) / C;
      } else if (op == "cross_entropy") {  // L = -(1/B) sum t log(p + eps), eps = 1e-10
        const quad eps = ops::cross_entropy_default_eps;
        loss -= A2[i] * logq(X[i] + eps) / C;
        d = -A2[i] / (X[i] + eps) / C;
      } else {  // L = (lambda / 2) ||W||^2, dW = lambda W
        loss += quad(c.scalar) / 2 * X[i] * X[i];
        d = quad(c.scalar) * X[i];
      }
      r.backward.push_back(d);
    }
    r.forward = {loss};
    return r;
  }
  if (op == "multiclass_hinge" || op == "binary_hinge") {
    // multiclass: L = (1/B) sum_b sum_{j != y_b} max(0, X_jb - X_{y_b b} + 1), 0 at a margin of 0;
    // binary (one row): L = (1/B) sum_b max(0, 1 - y_b X_b), y_b = 2 label_b - 1
    quad loss = 0;
    r.backward.assign(X.size(), 0);
    for (unsigned b = 0; b < C; ++b) {
      if (op == "binary_hinge") {
        const quad y = c.labels[b] == 1 ? 1 : -1, margin = 1 - y * X[b];
        if (margin > 0) loss += margin / C, r.backward[b] = -y / C;
        continue;
      }
      const unsigned label = c.labels[b];
      for (unsigned j = 0; j < R; ++j) {
        const quad margin = X[b * R + j] - X[b * R + label] + 1;
        if (j == label || !(margin > 0)) continue;
        loss += margin / C;
        r.backward[b * R + j] += quad(1) / C;
        r.backward[b * R + label] -= quad(1) / C;
      }
    }
    r.forward = {loss};
    return r;
  }
  if (op == "batchnorm_eval") {  // the running statistics are constants
    for (unsigned b = 0; b < C; ++b)
      for (unsigned d = 0; d < R; ++d) {
        const quad inv_std = 1 / sqrtq(quad(c.v2[d]) + quad(ops::batchnorm_default_eps));
        r.forward.push_back(quad(c.gamma[d]) * (X[b * R + d] - quad(c.v1[d])) * inv_std + quad(c.beta[d]));
        r.backward.push_back(dY[b * R + d] * quad(c.gamma[d]) * inv_std);
      }
    return r;
  }
  if (op == "tanh" || op == "sigmoid") {
    for (std::size_t i = 0; i < X.size(); ++i) {
      // tanh' = 1 - tanh^2 = 1 / cosh^2; sigmoid' = s (1 - s) = e^-x / (1 + e^-x)^2
      const quad y = op == "tanh" ? tanhq(X[i]) : 1 / (1 + expq(-X[i]));
      const quad slope = op == "tanh" ? 1 / (coshq(X[i]) * coshq(X[i]))
                                      : expq(-X[i]) / ((1 + expq(-X[i])) * (1 + expq(-X[i])));
      r.forward.push_back(y);
      r.backward.push_back(dY[i] * slope);
    }
    return r;
  }
  if (op == "softmax" || op == "log_softmax" || op == "softmax_cross_entropy") {
    r.forward.assign(X.size(), 0);
    r.backward.assign(X.size(), 0);
    quad loss = 0;
    for (unsigned b = 0; b < C; ++b) {
      quad m = X[b * R];
      for (unsigned k = 1; k < R; ++k) m = std::max(m, X[b * R + k]);
      quad s = 0;
      for (unsigned k = 0; k < R; ++k) s += expq(X[b * R + k] - m);
      QMat p(R), lp(R);
      for (unsigned k = 0; k < R; ++k) {
        lp[k] = X[b * R + k] - m - logq(s);
        p[k] = expq(X[b * R + k] - m) / s;
      }
      if (op == "softmax") {
        quad dot = 0;  // dX = Y (dY - <Y, dY>)
        for (unsigned k = 0; k < R; ++k) dot += p[k] * dY[b * R + k];
        for (unsigned k = 0; k < R; ++k) {
          r.forward[b * R + k] = p[k];
          r.backward[b * R + k] = p[k] * (dY[b * R + k] - dot);
        }
      } else if (op == "log_softmax") {
        quad sum = 0;  // dX = dY - softmax sum(dY)
        for (unsigned k = 0; k < R; ++k) sum += dY[b * R + k];
        for (unsigned k = 0; k < R; ++k) {
          r.forward[b * R + k] = lp[k];
          r.backward[b * R + k] = dY[b * R + k] - p[k] * sum;
        }
      } else {
        const unsigned label = c.labels[b];
        loss -= lp[label] / C;  // dlogits = (softmax - onehot) / B
        for (unsigned k = 0; k < R; ++k)
          r.backward[b * R + k] = (p[k] - (k == label ? 1 : 0)) / C;
      }
    }
    if (op == "softmax_cross_entropy") r.forward = {loss};
    return r;
  }
  // batchnorm, training mode, eps 1e-5, biased variance.
  r.forward.assign(X.size(), 0);
  r.backward.assign(X.size(), 0);
  const quad eps = 1e-5;  // the double nearest 1e-5, as the op uses
  for (unsigned d = 0; d < R; ++d) {
    quad mean = 0, var = 0, sum_dy = 0, sum_dy_xhat = 0;
    for (unsigned b = 0; b < C; ++b) mean += X[b * R + d] / C;
    for (unsigned b = 0; b < C; ++b) var += (X[b * R + d] - mean) * (X[b * R + d] - mean) / C;
    const quad inv_std = 1 / sqrtq(var + eps);
    QMat x_hat(C);
    for (unsigned b = 0; b < C; ++b) {
      x_hat[b] = (X[b * R + d] - mean) * inv_std;
      r.forward[b * R + d] = quad(c.gamma[d]) * x_hat[b] + quad(c.beta[d]);
      sum_dy += dY[b * R + d];
      sum_dy_xhat += dY[b * R + d] * x_hat[b];
    }
    for (unsigned b = 0; b < C; ++b)
      r.backward[b * R + d] = quad(c.gamma[d]) * inv_std / C *
                              (C * dY[b * R + d] - sum_dy - x_hat[b] * sum_dy_xhat);
  }
  return r;
}

// gradlab's forward output and dX, end to end in double.
std::pair<arma::mat, arma::mat> gradlab_run(const Case& c) {
  const arma::mat X = matrix(c.X, c.rows, c.cols);
  const std::string op = c.op;
  if (op == "softmax_cross_entropy") {
    const arma::uvec labels = arma::conv_to<arma::uvec>::from(std::vector<arma::uword>(c.labels.begin(), c.labels.end()));
    const ops::SoftmaxCrossEntropy f = ops::softmax_cross_entropy_forward(X, labels);
    return {arma::mat{f.loss}, ops::softmax_cross_entropy_backward(f.probs, labels)};
  }
  if (op == "multiclass_hinge" || op == "binary_hinge") {
    const arma::uvec labels = arma::conv_to<arma::uvec>::from(std::vector<arma::uword>(c.labels.begin(), c.labels.end()));
    if (op == "multiclass_hinge")
      return {arma::mat{ops::multiclass_hinge_forward(X, labels)}, ops::multiclass_hinge_backward(X, labels)};
    return {arma::mat{ops::binary_hinge_forward(X, labels)}, ops::binary_hinge_backward(X, labels)};
  }
  if (op == "mse" || op == "nll" || op == "cross_entropy" || op == "l2_penalty") {
    const arma::mat A2 = c.A2.empty() ? arma::mat() : matrix(c.A2, c.rows2, c.cols2);
    const arma::uvec labels = arma::conv_to<arma::uvec>::from(std::vector<arma::uword>(c.labels.begin(), c.labels.end()));
    if (op == "mse") return {arma::mat{ops::mse_forward(X, A2)}, ops::mse_backward(X, A2)};
    if (op == "nll") return {arma::mat{ops::nll_forward(X, labels)}, ops::nll_backward(X, labels)};
    if (op == "cross_entropy")
      return {arma::mat{ops::cross_entropy_forward(X, A2)}, ops::cross_entropy_backward(X, A2)};
    return {arma::mat{ops::l2_penalty_forward(X, c.scalar)}, ops::l2_penalty_backward(X, c.scalar)};
  }
  if (op == "affine") {
    const arma::mat W = matrix(c.A2, c.rows2, c.cols2);
    const arma::mat Y = ops::affine_forward(W, arma::vec(c.v1), X);
    return {Y, ops::affine_backward(matrix(c.dY, Y.n_rows, Y.n_cols), W, X).dX};
  }
  const arma::mat dY = matrix(c.dY, c.rows, c.cols);
  if (op == "relu") return {ops::relu_forward(X), ops::relu_backward(dY, X)};
  if (op == "leaky_relu")
    return {ops::leaky_relu_forward(X, c.scalar), ops::leaky_relu_backward(dY, X, c.scalar)};
  if (op == "dropout") {
    const arma::mat mask = matrix(c.A2, c.rows2, c.cols2) / (1.0 - c.scalar);  // as dropout_forward makes it
    return {X % mask, ops::dropout_backward(dY, mask)};
  }
  if (op == "batchnorm_eval") {
    const arma::vec gamma(c.gamma), beta(c.beta);
    const ops::BatchNormForward f =
        ops::batchnorm_forward_eval(X, gamma, beta, arma::vec(c.v1), arma::vec(c.v2));
    return {f.Y, ops::batchnorm_backward_eval(dY, gamma, f.cache).dX};
  }
  if (op == "tanh") {
    const arma::mat Y = ops::tanh_forward(X);
    return {Y, ops::tanh_backward(dY, Y)};
  }
  if (op == "sigmoid") {
    const arma::mat Y = ops::sigmoid_forward(X);
    return {Y, ops::sigmoid_backward(dY, Y)};
  }
  if (op == "softmax") {
    const arma::mat Y = ops::softmax_forward(X);
    return {Y, ops::softmax_backward(dY, Y)};
  }
  if (op == "log_softmax") {
    const arma::mat Y = ops::log_softmax_forward(X);
    return {Y, ops::log_softmax_backward(dY, Y)};
  }
  const arma::vec gamma(c.gamma), beta(c.beta);
  const ops::BatchNormForward f = ops::batchnorm_forward(X, gamma, beta);
  return {f.Y, ops::batchnorm_backward(dY, gamma, f.cache).dX};
}

// Why an output cannot reach 1e-12 in float64 with the op's design: the float64 limit, or "".
std::string limit(const Case& c, bool backward) {
  const std::string op = c.op;
  if (op == "affine" && !backward)
    return "the sum cancels: 1e8 - 1e8 leaves the small terms, so float64 keeps eps x sum |W X| "
           "/ |Y| of them, whatever the order of the sum";
  if (!backward) return "";
  if (op == "tanh")
    return "backward from Y: 1 - Y^2 near saturation, where Y itself is rounded (eps / (1 - Y^2)); "
           "at |x| = 20 Y rounds to 1";
  if (op == "sigmoid")
    return "backward from Y: 1 - Y for Y near 1, where Y itself is rounded (eps / (1 - Y)); at "
           "x = 40 Y rounds to 1, and Y (1 - Y) is 0";
  if (op == "batchnorm" && c.cols == 2)
    return "B = 2: dX is (1 - x_hat^2) times dY's spread, 1 - x_hat^2 = eps / var = 1e-17; "
           "the closed form cancels all of it";
  return "";
}

}  // namespace

int main() {
  text::Table table({"op", "input", "output", "gradlab", "PyTorch", "verdict", "why not 1e-12"});
  int failed = 0;
  for (const Case& c : precision::cases()) {
    const Reference ref = reference(c);
    const auto [forward, dX] = gradlab_run(c);
    for (const bool backward : {false, true}) {
      const double ours = backward ? error(dX, ref.backward) : error(forward, ref.forward);
      const double theirs = backward ? error(c.torch_backward, ref.backward)
                                     : error(c.torch_forward, ref.forward);
      const std::string why = ours <= target ? "" : limit(c, backward);
      const bool pass = ours <= target || (!why.empty() && ours <= 2.0 * theirs);
      failed += !pass;
      table.add_row({c.op, c.input,
                     backward ? "dX" : (ref.forward.size() == 1 && c.rows * c.cols > 1 ? "loss" : "Y"),
                     text::sci(ours), text::sci(theirs),
                     pass ? (ours <= target ? "PASS" : "LIMIT") : "FAIL", why});
    }
  }
  std::cout << "Relative error against a __float128 reference (largest over the entries; "
               "PASS: within "
            << text::sci(target)
            << "; LIMIT: the float64 limit of the op's design, named, and no worse than PyTorch)\n";
  table.print(std::cout);
  std::cout << (failed == 0 ? "every row passes" : std::to_string(failed) + " rows FAIL") << "\n";
  return failed == 0 ? 0 : 1;
}
