// Every op's backward against finite differences, at the catalogue's shapes: batch 1,
// non-square, a batch of 64, inputs of large magnitude (check/op_cases.cpp). Small cases also
// get the full Jacobian. The smooth ops must land at <= 1e-7 relative error.
#include "gradlab/check/op_cases.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/ops/dropout.hpp"
#include "gradlab/ops/log_softmax.hpp"
#include "gradlab/ops/relu.hpp"
#include "gradlab/ops/softmax.hpp"
#include "gradlab/ops/softmax_cross_entropy.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

using namespace gradlab;

namespace {

// Runs every catalogue case of `op` (vjp, and jacobian where small) and requires PASS with
// the largest relative error at most max_rel. Prints the table when something fails.
void require_op_passes(const std::string& op, double max_rel = 1e-7) {
  const std::vector<check::OpCase> cases = check::op_cases(op);
  REQUIRE(cases.size() >= 4);
  for (const check::OpCase& c : cases) {
    std::vector<check::CheckResult> reports{check::check_vjp(c.fn)};
    if (c.small) reports.push_back(check::check_jacobian(c.fn));
    for (check::CheckResult& r : reports) {
      r.label = c.op + " [" + c.kind + "]";
      r.shape = c.shape;
      std::ostringstream table;
      check::print_table(table, {r});
      INFO(table.str());
      CHECK(r.verdict() == check::Verdict::pass);
      CHECK(r.contract.holds());
      for (const check::TensorResult& t : r.tensors) {
        CHECK(t.checked == t.rows * t.cols);
        CHECK(t.max_rel_error <= max_rel);
      }
    }
  }
}

}  // namespace

TEST_CASE("relu: dX = dY * 1[X > 0]", "[relu][gradcheck]") { require_op_passes("relu"); }
TEST_CASE("leaky_relu: dX = dY * (1 or slope)", "[leaky_relu][gradcheck]") {
  require_op_passes("leaky_relu");
}
TEST_CASE("tanh: dX = dY * (1 - Y^2)", "[tanh][gradcheck]") { require_op_passes("tanh"); }
TEST_CASE("sigmoid: dX = dY * Y * (1 - Y)", "[sigmoid][gradcheck]") { require_op_passes("sigmoid"); }
TEST_CASE("affine: dW = dY X^T, db = sum_b dY, dX = W^T dY", "[affine][gradcheck]") {
  require_op_passes("affine");
}
TEST_CASE("softmax: dz = s * (dp - <s, dp>), J = diag(s) - s s^T", "[softmax][gradcheck]") {
  require_op_passes("softmax");
}
TEST_CASE("log_softmax: dz = dy - softmax * sum(dy)", "[log_softmax][gradcheck]") {
  require_op_passes("log_softmax");
}
TEST_CASE("cross_entropy: dp = -t / (p + eps) / B", "[cross_entropy][gradcheck]") {
  require_op_passes("cross_entropy");
}
TEST_CASE("softmax_cross_entropy: dz = (softmax - onehot) / B", "[softmax_cross_entropy][gradcheck]") {
  require_op_passes("softmax_cross_entropy");
}
TEST_CASE("nll: dlogprobs = -onehot / B", "[nll][gradcheck]") { require_op_passes("nll"); }
TEST_CASE("mse: dY = 2 (Y - T) / B", "[mse][gradcheck]") { require_op_passes("mse"); }
TEST_CASE("batchnorm: closed batch form of dX, dgamma, dbeta", "[batchnorm][gradcheck]") {
  require_op_passes("batchnorm");
}
TEST_CASE("batchnorm eval: dX = dY * gamma * inv_std", "[batchnorm][gradcheck]") {
  require_op_passes("batchnorm_eval");
}
TEST_CASE("dropout: dX = dY * mask", "[dropout][gradcheck]") { require_op_passes("dropout"); }
TEST_CASE("l2_penalty: dW = lambda W", "[l2_penalty][gradcheck]") { require_op_passes("l2_penalty"); }
TEST_CASE("multiclass_hinge: dscores_j = 1[s_j - s_y + 1 > 0] / B, dscores_y = -(active margins) / B",
          "[multiclass_hinge][gradcheck]") {
  require_op_passes("multiclass_hinge");
}
TEST_CASE("binary_hinge: dscores = -y 1[1 - y s > 0] / B", "[binary_hinge][gradcheck]") {
  require_op_passes("binary_hinge");
}
TEST_CASE("conv2d: dW = X correlated with dY (summed over the batch), db = sum dY, dX = dY transposed-convolved with W",
          "[conv2d][gradcheck]") {
  require_op_passes("conv2d");
}
TEST_CASE("max_pool2d: dX = dY routed to each window's argmax", "[max_pool2d][gradcheck]") {
  require_op_passes("max_pool2d");
}
TEST_CASE("avg_pool2d: dX = dY / (wh ww) spread over each window", "[avg_pool2d][gradcheck]") {
  require_op_passes("avg_pool2d");
}

TEST_CASE("softmax_cross_entropy: finite at logits of +-1000", "[softmax_cross_entropy][stability]") {
  const arma::mat logits = {{1000.0, -1000.0, 0.0}, {-1000.0, 1000.0, 0.0}};  // 2 classes x 3
  const arma::uvec labels = {0, 0, 1};
  const ops::SoftmaxCrossEntropy f = ops::softmax_cross_entropy_forward(logits, labels);
  // Sample 0: correct with margin 2000 -> 0; sample 1: wrong by 2000 -> 2000; sample 2: log 2.
  CHECK(f.loss == Approx((0.0 + 2000.0 + std::log(2.0)) / 3.0).epsilon(1e-15));
  const arma::mat dlogits = ops::softmax_cross_entropy_backward(f.probs, labels);
  REQUIRE(dlogits.is_finite());
  // (probs - onehot) / B with probs = [1 0], [0 1], [1/2 1/2] per column
  const arma::mat expected = arma::mat{{0.0, -1.0, 0.5}, {0.0, 1.0, -0.5}} / 3.0;
  CHECK(arma::approx_equal(dlogits, expected, "absdiff", 1e-15));
  // The unfused textbook pair overflows here: exp(1000) is inf.
  CHECK_FALSE(arma::mat(arma::exp(logits)).is_finite());
}

TEST_CASE("dropout: the mask keeps about 1 - p, scaled by 1 / (1 - p), reproducibly", "[dropout]") {
  Rng a(7), b(7);
  const arma::mat X(200, 50, arma::fill::ones);
  const ops::DropoutForward fa = ops::dropout_forward(X, 0.3, a);
  const ops::DropoutForward fb = ops::dropout_forward(X, 0.3, b);
  CHECK(arma::approx_equal(fa.mask, fb.mask, "absdiff", 0.0));
  const double kept = arma::accu(fa.mask > 0.0) / double(fa.mask.n_elem);
  CHECK(kept == Approx(0.7).margin(0.02));  // 10,000 draws: 5 sigma is about 0.023
  CHECK(arma::all(arma::vectorise(fa.mask == 0.0 || arma::abs(fa.mask - 1.0 / 0.7) < 1e-15)));
  CHECK(arma::mean(arma::vectorise(fa.Y)) == Approx(1.0).margin(0.03));  // inverted: E[Y] = X
}

TEST_CASE("softmax: shifting every logit by 1000 changes nothing (the max shift works)",
          "[softmax][log_softmax][softmax_cross_entropy][stability]") {
  Rng rng(11);
  const arma::mat Z = random_normal(6, 5, rng);
  const arma::mat shifted = Z + 1000.0;  // exp(1000) overflows: the unshifted formula gives NaN
  CHECK(arma::approx_equal(ops::softmax_forward(shifted), ops::softmax_forward(Z), "absdiff", 1e-13));
  CHECK(arma::approx_equal(ops::log_softmax_forward(shifted), ops::log_softmax_forward(Z), "absdiff", 1e-12));
  const arma::uvec labels = {0, 5, 2, 2, 1};
  const auto a = ops::softmax_cross_entropy_forward(shifted, labels);
  const auto b = ops::softmax_cross_entropy_forward(Z, labels);
  CHECK(a.loss == Approx(b.loss).epsilon(1e-12));
  CHECK(arma::approx_equal(ops::softmax_cross_entropy_backward(a.probs, labels),
                           ops::softmax_cross_entropy_backward(b.probs, labels), "absdiff", 1e-13));
}

TEST_CASE("batchnorm: training mode refuses a batch of one sample", "[batchnorm][shapes]") {
  const arma::mat X(3, 1, arma::fill::ones);
  const arma::vec ones(3, arma::fill::ones);
  CHECK_THROWS_WITH(ops::batchnorm_forward(X, ones, ones),
                    Catch::Contains("batchnorm_forward") && Catch::Contains("3x1") && Catch::Contains("at least 2"));
}

TEST_CASE("relu: a NaN stays NaN and -0 stays -0 (divergence must show in the loss)",
          "[relu][robust]") {
  const arma::mat X = {{arma::datum::nan, -0.0, -2.0, 3.0, -arma::datum::inf, arma::datum::inf}};
  const arma::mat Y = ops::relu_forward(X);
  CHECK(std::isnan(Y(0, 0)));
  CHECK((Y(0, 1) == 0.0 && std::signbit(Y(0, 1))));
  CHECK(Y(0, 2) == 0.0);
  CHECK(Y(0, 3) == 3.0);
  CHECK(Y(0, 4) == 0.0);
  CHECK(Y(0, 5) == arma::datum::inf);
}
