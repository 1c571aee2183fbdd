// Golden values: every op's forward and backward against PyTorch, in float64.
// The second oracle beside the finite-difference checks: the values come from
// checks/golden/make_golden.py (Debian's python3-torch), stored in the generated, committed
// checks/golden/golden_values.hpp, so this file needs no torch. Regenerate with
//   /usr/bin/python3 checks/golden/make_golden.py
//
// Both sides evaluate the same formulas in double, so they agree to a few units in the last
// place; golden_rtol is set far below anything a wrong formula, a missing 1/B or a transposed
// read could produce. Backwards that take a forward output (Y, probs, logprobs) are fed
// PyTorch's, as PyTorch's own backward was, so each function is compared on identical inputs
// (a one-ulp difference in tanh's Y would otherwise be amplified where 1 - Y^2 is tiny).
// Batch norm's backward takes gradlab's cache (its mean, var and inv_std are compared first),
// and the +-1000 softmax cross-entropy case runs gradlab's forward into its backward.
#include <catch2/catch.hpp>

#include "golden/golden_values.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/ops/affine.hpp"
#include "gradlab/ops/avg_pool2d.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/conv2d.hpp"
#include "gradlab/ops/cross_entropy.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/l2_penalty.hpp"
#include "gradlab/ops/leaky_relu.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/max_pool2d.hpp"
#include "gradlab/ops/mse.hpp"
#include "gradlab/ops/multiclass_hinge.hpp"
#include "gradlab/ops/nll.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/sigmoid.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/ops/tanh.hpp"

#include <armadillo>
#include <cmath>
#include <iomanip>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace golden = gradlab::golden;
namespace ops = gradlab::ops;

// Largest accepted |actual - expected| / max(|actual|, |expected|), element by element.
constexpr double golden_rtol = 1e-12;

// The generated header stores matrices as PyTorch holds them (row-major: element (r, c) at
// r * cols + c); Armadillo is column-major, so copy element by element, never reinterpret.
arma::mat to_mat(const golden::Matrix& m) {
  if (m.row_major.size() != m.rows * m.cols) {
    throw std::invalid_argument("to_mat: " + std::to_string(m.rows) + "x" +
                                std::to_string(m.cols) + " matrix with " +
                                std::to_string(m.row_major.size()) + " values");
  }
  arma::mat A(m.rows, m.cols);
  for (std::size_t r = 0; r < m.rows; ++r) {
    for (std::size_t c = 0; c < m.cols; ++c) A(r, c) = m.row_major[r * m.cols + c];
  }
  return A;
}

arma::vec to_vec(const std::vector<double>& v) { return arma::vec(v); }

arma::uvec to_uvec(const std::vector<std::size_t>& v) {
  arma::uvec u(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) u(k) = static_cast<arma::uword>(v[k]);
  return u;
}

// How far actual is from expected: the worst element's relative difference
// |a - e| / max(|a|, |e|) (0 where both are exactly 0; infinite for a NaN or a shape mismatch).
struct Agreement {
  double max_rel = 0.0;
  std::string worst;  // where, and the two values, for the failure message
};

Agreement agreement(const arma::mat& actual, const arma::mat& expected) {
  Agreement result;
  if (actual.n_rows != expected.n_rows || actual.n_cols != expected.n_cols) {
    result.max_rel = std::numeric_limits<double>::infinity();
    result.worst = "shape " + std::to_string(actual.n_rows) + "x" + std::to_string(actual.n_cols) +
                   ", expected " + std::to_string(expected.n_rows) + "x" +
                   std::to_string(expected.n_cols);
    return result;
  }
  for (arma::uword c = 0; c < actual.n_cols; ++c) {
    for (arma::uword r = 0; r < actual.n_rows; ++r) {
      const double a = actual(r, c);
      const double e = expected(r, c);
      const double scale = std::max(std::abs(a), std::abs(e));
      double rel = scale == 0.0 ? 0.0 : std::abs(a - e) / scale;
      if (!(rel <= 1.0) && !(rel > 1.0)) rel = std::numeric_limits<double>::infinity();  // NaN
      if (rel > result.max_rel || (result.worst.empty() && rel == result.max_rel)) {
        std::ostringstream where;
        where.precision(17);
        where << "(" << r << ", " << c << "): actual " << a << ", expected " << e;
        result.max_rel = rel;
        result.worst = where.str();
      }
    }
  }
  return result;
}

// One CHECK per compared tensor; with -s Catch prints each measured difference.
void check_matches(const std::string& what, const arma::mat& actual, const arma::mat& expected) {
  const Agreement a = agreement(actual, expected);
  std::ostringstream measured;
  measured << std::scientific << std::setprecision(2) << a.max_rel;
  INFO(what << ": max relative difference " << measured.str() << ", worst element " << a.worst);
  // Catch prints doubles in fixed point, so the expansion shows the ratio, the message the value.
  const double times_tolerance = a.max_rel / golden_rtol;
  CHECK(times_tolerance <= 1.0);
}

void check_matches(const std::string& what, double actual, double expected) {
  check_matches(what, arma::mat{actual}, arma::mat{expected});
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The helpers first: a transposed read or a lenient comparison would make every test below lie.

TEST_CASE("golden: to_mat reads PyTorch's row-major layout into Armadillo", "[golden][layout]") {
  // values from checks/golden/make_golden.py: probe(r, c) = 10 r + c
  const arma::mat P = to_mat(golden::layout::probe);
  REQUIRE(P.n_rows == 2);
  REQUIRE(P.n_cols == 3);
  for (arma::uword r = 0; r < 2; ++r) {
    for (arma::uword c = 0; c < 3; ++c) CHECK(P(r, c) == 10.0 * r + c);
  }
  CHECK(P(1, 0) == 10.0);  // column-major memory: the second stored value is row 1
  CHECK(P.memptr()[1] == 10.0);
  CHECK_THROWS_AS(to_mat(golden::Matrix{2, 2, {1.0, 2.0, 3.0}}), std::invalid_argument);
}

TEST_CASE("golden: the comparison catches differences, NaN and shape mismatches",
          "[golden][layout]") {
  const arma::mat A = {{1.0, -2.0}, {0.0, 4.0}};
  CHECK(agreement(A, A).max_rel == 0.0);
  arma::mat B = A;
  B(1, 1) = 4.0 * (1.0 + 1e-9);
  CHECK(agreement(B, A).max_rel == Approx(1e-9).epsilon(1e-6));
  CHECK(agreement(B, A).max_rel > golden_rtol);
  B = A;
  B(1, 0) = 1e-300;  // expected exactly 0: any nonzero is a full relative difference
  CHECK(agreement(B, A).max_rel == 1.0);
  B = A;
  B(0, 1) = std::nan("");
  CHECK(std::isinf(agreement(B, A).max_rel));
  CHECK(std::isinf(agreement(A.t(), arma::mat(A.n_rows, A.n_cols + 1)).max_rel));
}

// ---------------------------------------------------------------------------------------------
// Elementwise activations.

TEST_CASE("golden: relu matches PyTorch", "[relu][golden]") {
  // values from checks/golden/make_golden.py (torch.relu; X has exact zeros: dX = 0 there)
  namespace g = golden::relu;
  const arma::mat X = to_mat(g::X);
  check_matches("Y", ops::relu_forward(X), to_mat(g::Y));
  check_matches("dX", ops::relu_backward(to_mat(g::dY), X), to_mat(g::dX));
}

TEST_CASE("golden: leaky_relu matches PyTorch", "[leaky_relu][golden]") {
  // values from checks/golden/make_golden.py (F.leaky_relu, slope 0.01 and 0.2)
  SECTION("default slope 0.01") {
    namespace g = golden::leaky_relu;
    REQUIRE(g::slope == ops::leaky_relu_default_slope);
    const arma::mat X = to_mat(g::X);
    check_matches("Y", ops::leaky_relu_forward(X), to_mat(g::Y));
    check_matches("dX", ops::leaky_relu_backward(to_mat(g::dY), X), to_mat(g::dX));
  }
  SECTION("slope 0.2") {
    namespace g = golden::leaky_relu_steep;
    const arma::mat X = to_mat(g::X);
    check_matches("Y", ops::leaky_relu_forward(X, g::slope), to_mat(g::Y));
    check_matches("dX", ops::leaky_relu_backward(to_mat(g::dY), X, g::slope), to_mat(g::dX));
  }
}

TEST_CASE("golden: tanh matches PyTorch", "[tanh][golden]") {
  // values from checks/golden/make_golden.py (torch.tanh, one saturated column)
  // X(2, 4) = 7.5: 1 - Y^2 is about 1.2e-6 there, so forming Y^2 first and subtracting from 1
  // cancels about six digits; PyTorch's dX there is the correctly rounded dY (1 - Y^2).
  namespace g = golden::tanh;
  check_matches("Y", ops::tanh_forward(to_mat(g::X)), to_mat(g::Y));
  check_matches("dX", ops::tanh_backward(to_mat(g::dY), to_mat(g::Y)), to_mat(g::dX));
}

TEST_CASE("golden: sigmoid matches PyTorch", "[sigmoid][golden]") {
  // values from checks/golden/make_golden.py (torch.sigmoid, tails -700 ... 700)
  namespace g = golden::sigmoid;
  check_matches("Y", ops::sigmoid_forward(to_mat(g::X)), to_mat(g::Y));
  check_matches("dX", ops::sigmoid_backward(to_mat(g::dY), to_mat(g::Y)), to_mat(g::dX));
}

// ---------------------------------------------------------------------------------------------
// The affine map.

TEST_CASE("golden: affine matches PyTorch", "[affine][golden]") {
  // values from checks/golden/make_golden.py (Y = W @ X + b[:, None])
  namespace g = golden::affine;
  const arma::mat W = to_mat(g::W);
  const arma::mat X = to_mat(g::X);
  check_matches("Y", ops::affine_forward(W, to_vec(g::b), X), to_mat(g::Y));
  const ops::AffineGrads grads = ops::affine_backward(to_mat(g::dY), W, X);
  check_matches("dX", grads.dX, to_mat(g::dX));
  check_matches("dW", grads.dW, to_mat(g::dW));
  check_matches("db", grads.db, to_vec(g::db));
}

// ---------------------------------------------------------------------------------------------
// Softmax, log-softmax and the losses on them.

TEST_CASE("golden: softmax matches PyTorch", "[softmax][golden]") {
  // values from checks/golden/make_golden.py (torch.softmax over dim 0, autograd jacobian)
  namespace g = golden::softmax;
  check_matches("probs", ops::softmax_forward(to_mat(g::logits)), to_mat(g::probs));
  check_matches("dlogits", ops::softmax_backward(to_mat(g::dprobs), to_mat(g::probs)),
                to_mat(g::dlogits));
  check_matches("s", ops::softmax_forward(to_vec(g::z)), to_vec(g::s));
  check_matches("jacobian", ops::softmax_jacobian(to_vec(g::s)), to_mat(g::jacobian));
}

TEST_CASE("golden: log_softmax matches PyTorch", "[log_softmax][golden]") {
  // values from checks/golden/make_golden.py (torch.log_softmax over dim 0)
  namespace g = golden::log_softmax;
  check_matches("logprobs", ops::log_softmax_forward(to_mat(g::logits)), to_mat(g::logprobs));
  check_matches("dlogits", ops::log_softmax_backward(to_mat(g::dlogprobs), to_mat(g::logprobs)),
                to_mat(g::dlogits));
}

TEST_CASE("golden: cross_entropy matches PyTorch", "[cross_entropy][golden]") {
  // values from checks/golden/make_golden.py (-(t * log(p + eps)).sum() / B, eps 1e-10)
  namespace g = golden::cross_entropy;
  REQUIRE(g::eps == ops::cross_entropy_default_eps);
  SECTION("one-hot and spread targets") {
    const arma::mat probs = to_mat(g::probs);
    const arma::mat targets = to_mat(g::targets);
    check_matches("loss", ops::cross_entropy_forward(probs, targets), g::loss);
    check_matches("dprobs", ops::cross_entropy_backward(probs, targets), to_mat(g::dprobs));
  }
  SECTION("a zero probability under a target of 1: gradient -1 / eps / B") {
    const arma::mat probs = to_mat(g::underflow_probs);
    const arma::mat targets = to_mat(g::underflow_targets);
    check_matches("loss", ops::cross_entropy_forward(probs, targets), g::underflow_loss);
    check_matches("dprobs", ops::cross_entropy_backward(probs, targets),
                  to_mat(g::underflow_dprobs));
  }
}

TEST_CASE("golden: softmax_cross_entropy matches PyTorch", "[softmax_cross_entropy][golden]") {
  // values from checks/golden/make_golden.py (F.cross_entropy(logits.t(), labels))
  namespace g = golden::softmax_cross_entropy;
  SECTION("ordinary logits") {
    const arma::uvec labels = to_uvec(g::labels);
    const ops::SoftmaxCrossEntropy forward =
        ops::softmax_cross_entropy_forward(to_mat(g::logits), labels);
    check_matches("loss", forward.loss, g::loss);
    check_matches("probs", forward.probs, to_mat(g::probs));
    check_matches("dlogits", ops::softmax_cross_entropy_backward(to_mat(g::probs), labels),
                  to_mat(g::dlogits));
  }
  SECTION("logits of +-1000: loss and gradient finite") {
    const arma::uvec labels = to_uvec(g::extreme_labels);
    const ops::SoftmaxCrossEntropy forward =
        ops::softmax_cross_entropy_forward(to_mat(g::extreme_logits), labels);
    CHECK(std::isfinite(forward.loss));
    CHECK(forward.probs.is_finite());
    check_matches("loss", forward.loss, g::extreme_loss);
    check_matches("probs", forward.probs, to_mat(g::extreme_probs));
    const arma::mat dlogits = ops::softmax_cross_entropy_backward(forward.probs, labels);
    CHECK(dlogits.is_finite());
    check_matches("dlogits", dlogits, to_mat(g::extreme_dlogits));
  }
}

TEST_CASE("golden: nll matches PyTorch", "[nll][golden]") {
  // values from checks/golden/make_golden.py (F.nll_loss(logprobs.t(), labels))
  namespace g = golden::nll;
  const arma::mat logprobs = to_mat(g::logprobs);
  const arma::uvec labels = to_uvec(g::labels);
  check_matches("loss", ops::nll_forward(logprobs, labels), g::loss);
  check_matches("dlogprobs", ops::nll_backward(logprobs, labels), to_mat(g::dlogprobs));
}

TEST_CASE("golden: mse matches PyTorch", "[mse][golden]") {
  // values from checks/golden/make_golden.py (F.mse_loss(Y, T, reduction='sum') / B)
  namespace g = golden::mse;
  const arma::mat Y = to_mat(g::Y);
  const arma::mat targets = to_mat(g::targets);
  check_matches("loss", ops::mse_forward(Y, targets), g::loss);
  check_matches("dY", ops::mse_backward(Y, targets), to_mat(g::dY));
}

TEST_CASE("golden: multiclass_hinge matches PyTorch's multi_margin_loss times C", "[multiclass_hinge][golden]") {
  // values from checks/golden/make_golden.py (C * F.multi_margin_loss(scores.t(), labels): PyTorch
  // divides each sample's sum by the C classes, gradlab does not; column 5 is at a kink)
  namespace g = golden::multiclass_hinge;
  const arma::mat scores = to_mat(g::scores);
  const arma::uvec labels = to_uvec(g::labels);
  const double C = static_cast<double>(scores.n_rows);
  check_matches("loss", ops::multiclass_hinge_forward(scores, labels), g::loss);
  check_matches("loss / C", ops::multiclass_hinge_forward(scores, labels) / C, g::torch_loss);
  check_matches("dscores", ops::multiclass_hinge_backward(scores, labels), to_mat(g::dscores));
}

TEST_CASE("golden: binary_hinge matches PyTorch's clamp(1 - y s, min=0).mean(), and relu's at the kink",
          "[binary_hinge][golden]") {
  // values from checks/golden/make_golden.py (y = 2 labels - 1)
  namespace g = golden::binary_hinge;
  const arma::mat scores = to_mat(g::scores);
  const arma::uvec labels = to_uvec(g::labels);
  check_matches("loss", ops::binary_hinge_forward(scores, labels), g::loss);
  check_matches("dscores", ops::binary_hinge_backward(scores, labels), to_mat(g::dscores));
  // At 1 - y s = 0 exactly gradlab takes 0, as torch.relu does; torch.clamp takes -y / B, the
  // other end of the bracket: the two differ there and nowhere else.
  const arma::mat kink_scores = to_mat(g::kink_scores);
  const arma::uvec kink_labels = to_uvec(g::kink_labels);
  const arma::mat dscores = ops::binary_hinge_backward(kink_scores, kink_labels);
  check_matches("kink loss", ops::binary_hinge_forward(kink_scores, kink_labels), g::kink_loss);
  check_matches("kink dscores (relu)", dscores, to_mat(g::kink_dscores_relu));
  const arma::mat clamp = to_mat(g::kink_dscores_clamp);
  const double B = static_cast<double>(kink_scores.n_cols);
  for (arma::uword b = 0; b < kink_scores.n_cols; ++b) {
    const double y = kink_labels(b) == 1 ? 1.0 : -1.0;
    const bool at_kink = 1.0 - y * kink_scores(0, b) == 0.0;
    INFO("column " << b);
    CHECK(clamp(0, b) == (at_kink ? -y / B : dscores(0, b)));
  }
}

// ---------------------------------------------------------------------------------------------
// Batch normalisation, dropout, the L2 penalty, one-hot labels.

TEST_CASE("golden: batchnorm (training) matches PyTorch", "[batchnorm][golden]") {
  // values from checks/golden/make_golden.py (F.batch_norm training=True, eps 1e-5;
  // row 3 of X is constant)
  namespace g = golden::batchnorm;
  REQUIRE(g::eps == ops::batchnorm_default_eps);
  const arma::vec gamma = to_vec(g::gamma);
  const ops::BatchNormForward forward =
      ops::batchnorm_forward(to_mat(g::X), gamma, to_vec(g::beta));
  check_matches("Y", forward.Y, to_mat(g::Y));
  check_matches("mean", forward.cache.mean, to_vec(g::mean));
  check_matches("var", forward.cache.var, to_vec(g::var));
  check_matches("inv_std", forward.cache.inv_std, to_vec(g::inv_std));
  const ops::BatchNormGrads grads = ops::batchnorm_backward(to_mat(g::dY), gamma, forward.cache);
  check_matches("dX", grads.dX, to_mat(g::dX));
  check_matches("dgamma", grads.dgamma, to_vec(g::dgamma));
  check_matches("dbeta", grads.dbeta, to_vec(g::dbeta));
}

TEST_CASE("golden: batchnorm (evaluation) matches PyTorch", "[batchnorm][golden]") {
  // values from checks/golden/make_golden.py (F.batch_norm training=False, running statistics)
  namespace g = golden::batchnorm_eval;
  REQUIRE(g::eps == ops::batchnorm_default_eps);
  const arma::vec gamma = to_vec(g::gamma);
  const ops::BatchNormForward forward = ops::batchnorm_forward_eval(
      to_mat(g::X), gamma, to_vec(g::beta), to_vec(g::running_mean), to_vec(g::running_var));
  check_matches("Y", forward.Y, to_mat(g::Y));
  const ops::BatchNormGrads grads =
      ops::batchnorm_backward_eval(to_mat(g::dY), gamma, forward.cache);
  check_matches("dX", grads.dX, to_mat(g::dX));
  check_matches("dgamma", grads.dgamma, to_vec(g::dgamma));
  check_matches("dbeta", grads.dbeta, to_vec(g::dbeta));
}

TEST_CASE("golden: dropout matches PyTorch", "[dropout][golden]") {
  // values from checks/golden/make_golden.py (a fixed mask: Y = X * mask, dX = dY * mask)
  namespace g = golden::dropout;
  const arma::mat X = to_mat(g::X);
  const arma::mat mask = to_mat(g::mask);
  SECTION("backward with the given mask") {
    check_matches("dX", ops::dropout_backward(to_mat(g::dY), mask), to_mat(g::dX));
  }
  SECTION("forward: a drawn mask holds 0 or PyTorch's 1 / (1 - p), and Y = X * mask") {
    // dropout_forward draws its own mask, so PyTorch's Y applies to the golden mask only;
    // check the drawn one against the same rule, value by value.
    std::mt19937_64 rng(20240601);
    const ops::DropoutForward forward = ops::dropout_forward(X, g::p, rng);
    REQUIRE(forward.mask.n_rows == X.n_rows);
    REQUIRE(forward.mask.n_cols == X.n_cols);
    for (const double m : forward.mask) CHECK((m == 0.0 || m == g::keep_scale));
    check_matches("Y = X * drawn mask", forward.Y, X % forward.mask);
    check_matches("PyTorch's Y = X * mask", X % mask, to_mat(g::Y));
  }
  SECTION("p = 0 is the identity") {
    std::mt19937_64 rng(7);
    const ops::DropoutForward forward = ops::dropout_forward(X, 0.0, rng);
    check_matches("Y", forward.Y, X);
    check_matches("mask", forward.mask, arma::mat(arma::size(X), arma::fill::ones));
  }
}

TEST_CASE("golden: l2_penalty matches PyTorch", "[l2_penalty][golden]") {
  // values from checks/golden/make_golden.py ((lambda / 2) * (W ** 2).sum(), lambda 0.3)
  namespace g = golden::l2_penalty;
  const arma::mat W = to_mat(g::W);
  check_matches("loss", ops::l2_penalty_forward(W, g::lambda), g::loss);
  check_matches("dW", ops::l2_penalty_backward(W, g::lambda), to_mat(g::dW));
}

// ---------------------------------------------------------------------------------------------
// The image ops: images as columns, x.flatten(1).T (ops/image.hpp).

namespace {
arma::uword whole(double value) { return static_cast<arma::uword>(value); }

// One conv2d case of the generated header, its geometry and tensors.
struct Conv2dGolden {
  double channels, height, width, kernel_h, kernel_w, stride, padding;
  const golden::Matrix &X, &W;
  const std::vector<double>& b;
  const golden::Matrix &dY, &Y, &dX, &dW;
  const std::vector<double>& db;
};

void check_conv2d(const Conv2dGolden& g) {
  const ops::ImageShape in{whole(g.channels), whole(g.height), whole(g.width)};
  const ops::Conv2dOptions options{whole(g.kernel_h), whole(g.kernel_w), whole(g.stride), whole(g.padding)};
  const arma::mat X = to_mat(g.X), W = to_mat(g.W);
  check_matches("Y", ops::conv2d_forward(X, in, W, to_vec(g.b), options), to_mat(g.Y));
  const ops::Conv2dGrads grads = ops::conv2d_backward(to_mat(g.dY), X, in, W, options);
  check_matches("dX", grads.dX, to_mat(g.dX));
  check_matches("dW", grads.dW, to_mat(g.dW));
  check_matches("db", grads.db, to_vec(g.db));
}
}  // namespace

TEST_CASE("golden: conv2d matches PyTorch", "[conv2d][golden]") {
  // values from checks/golden/make_golden.py (F.conv2d; X = x.flatten(1).T, W = weight.flatten(1))
  SECTION("stride 1, padding 1") {
    namespace g = golden::conv2d;
    check_conv2d({g::channels, g::height, g::width, g::kernel_h, g::kernel_w, g::stride, g::padding,
                  g::X, g::W, g::b, g::dY, g::Y, g::dX, g::dW, g::db});
  }
  SECTION("stride 2, padding 1, a 3x2 kernel on 5x6") {
    namespace g = golden::conv2d_strided;
    check_conv2d({g::channels, g::height, g::width, g::kernel_h, g::kernel_w, g::stride, g::padding,
                  g::X, g::W, g::b, g::dY, g::Y, g::dX, g::dW, g::db});
  }
}

TEST_CASE("golden: max_pool2d matches PyTorch", "[max_pool2d][golden]") {
  // values from checks/golden/make_golden.py (F.max_pool2d with return_indices; X rounded to
  // quarters, so ten of the 24 windows hold tied maxima)
  namespace g = golden::max_pool2d;
  const ops::ImageShape in{whole(g::channels), whole(g::height), whole(g::width)};
  const ops::Pool2dOptions options{whole(g::window_h), whole(g::window_w), whole(g::stride)};
  const ops::MaxPool2dForward forward = ops::max_pool2d_forward(to_mat(g::X), in, options);
  check_matches("Y", forward.Y, to_mat(g::Y));
  // the same entry chosen at every tie: PyTorch's first maximum in row-major window order
  check_matches("argmax", arma::conv_to<arma::mat>::from(forward.argmax), to_mat(g::argmax));
  check_matches("dX", ops::max_pool2d_backward(to_mat(g::dY), forward.argmax, in), to_mat(g::dX));
}

TEST_CASE("golden: avg_pool2d matches PyTorch", "[avg_pool2d][golden]") {
  // values from checks/golden/make_golden.py (F.avg_pool2d, 3x3 windows with stride 2)
  namespace g = golden::avg_pool2d;
  const ops::ImageShape in{whole(g::channels), whole(g::height), whole(g::width)};
  const ops::Pool2dOptions options{whole(g::window_h), whole(g::window_w), whole(g::stride)};
  check_matches("Y", ops::avg_pool2d_forward(to_mat(g::X), in, options), to_mat(g::Y));
  check_matches("dX", ops::avg_pool2d_backward(to_mat(g::dY), in, options), to_mat(g::dX));
}

TEST_CASE("golden: one_hot matches PyTorch", "[one_hot][golden]") {
  // values from checks/golden/make_golden.py (F.one_hot(labels, 4).t())
  namespace g = golden::one_hot;
  check_matches("onehot",
                gradlab::one_hot(to_uvec(g::labels), static_cast<arma::uword>(g::classes)),
                to_mat(g::onehot));
}
