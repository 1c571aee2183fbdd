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

#include "gradlab/ops/batchnorm.hpp"
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
  const arma::mat dY = matrix(c.dY, c.rows, c.cols);
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
                     backward ? "dX" : (std::string(c.op) == "softmax_cross_entropy" ? "loss" : "Y"),
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
