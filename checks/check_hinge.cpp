// The hinge losses beyond the tour (checks/check_ops.cpp runs their catalogue cases): worked
// examples by hand, the kink at a margin of exactly 0 (KINK, never a false FAIL, and a
// subgradient outside the bracket still FAILs), wrong backward passes that must FAIL with a
// diagnosis, and the nn losses that wrap the ops.
#include "gradlab/check/checker.hpp"
#include "gradlab/check/function.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/labels.hpp"
#include "gradlab/nn/differentiable.hpp"
#include "gradlab/nn/loss.hpp"
#include "gradlab/ops/binary_hinge.hpp"
#include "gradlab/ops/multiclass_hinge.hpp"
#include "gradlab/random.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

using namespace gradlab;
using check::Pattern;
using check::Verdict;

namespace {

using HingeBackward = std::function<arma::mat(const arma::mat& scores, const arma::uvec& labels)>;

// The scalar loss L(scores) of one hinge op, with the backward given (right or wrong).
check::Differentiable hinge_loss(const arma::mat& scores, const arma::uvec& labels, bool binary,
                                 HingeBackward backward) {
  check::Differentiable fn = check::function(
      {{"scores", scores}},
      [labels, binary](const check::Inputs& in) -> arma::mat {
        return arma::mat{binary ? ops::binary_hinge_forward(in["scores"], labels)
                                : ops::multiclass_hinge_forward(in["scores"], labels)};
      },
      [labels, backward](const arma::mat& G, const check::Inputs& in) -> check::Gradients {
        return {G(0, 0) * backward(in["scores"], labels)};
      });
  fn.batch = scores.n_cols;  // the output is the scalar loss: the batch is the scores' columns
  return fn;
}

std::string table(const check::CheckResult& r) {
  std::ostringstream out;
  check::print_table(out, {r});
  return out.str();
}

const check::TensorResult& dscores(const check::CheckResult& r) {
  REQUIRE(r.tensors.size() == 1);
  return r.tensors.front();
}

// cs231n's three examples (classes cat, car, frog; columns are the samples).
const arma::mat cs231n_scores{{3.2, 1.3, 2.2}, {5.1, 4.9, 2.5}, {-1.7, 2.0, -3.1}};
const arma::uvec cs231n_labels{0, 1, 2};

}  // namespace

TEST_CASE("multiclass_hinge: cs231n's worked example, L = 5.27, and its subgradient by hand",
          "[multiclass_hinge]") {
  // column 0 (cat):  max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0
  // column 1 (car):  max(0, 1.3 - 4.9 + 1) + max(0, 2.0 - 4.9 + 1)  = 0 + 0
  // column 2 (frog): max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1)  = 6.3 + 6.6
  // L = (2.9 + 0 + 12.9) / 3 = 5.2666...
  CHECK(ops::multiclass_hinge_forward(cs231n_scores, cs231n_labels) ==
        Approx(15.8 / 3.0).epsilon(1e-14));
  // Active margins: (car, 0), (cat, 2), (car, 2); the label rows collect -1 per active margin.
  const arma::mat expected = arma::mat{{-1.0, 0.0, 1.0}, {1.0, 0.0, 1.0}, {0.0, 0.0, -2.0}} / 3.0;
  CHECK(arma::approx_equal(ops::multiclass_hinge_backward(cs231n_scores, cs231n_labels), expected,
                           "absdiff", 1e-16));
}

TEST_CASE("binary_hinge: a worked example, L = (1/B) sum max(0, 1 - y s), dscores = -y 1[1 - y s > 0] / B",
          "[binary_hinge]") {
  // labels 1, 0, 1, 0 are signs +1, -1, +1, -1
  const arma::mat scores{{2.0, -0.5, 0.25, 3.0}};
  const arma::uvec labels{1, 0, 1, 0};
  // 1 - y s: 1 - 2 = -1, 1 - 0.5 = 0.5, 1 - 0.25 = 0.75, 1 + 3 = 4
  CHECK(ops::binary_hinge_forward(scores, labels) == Approx((0.5 + 0.75 + 4.0) / 4.0).epsilon(1e-15));
  const arma::mat expected = arma::mat{{0.0, 1.0, -1.0, 1.0}} / 4.0;
  CHECK(arma::approx_equal(ops::binary_hinge_backward(scores, labels), expected, "absdiff", 1e-16));
  // It is the multiclass hinge with two classes scored (0, s): the one margin is 1 - y s.
  const arma::mat two_classes = arma::join_cols(arma::mat(1, 4, arma::fill::zeros), scores);
  CHECK(ops::multiclass_hinge_forward(two_classes, labels) == ops::binary_hinge_forward(scores, labels));
  CHECK(arma::approx_equal(arma::mat(ops::multiclass_hinge_backward(two_classes, labels).row(1)),
                           ops::binary_hinge_backward(scores, labels), "absdiff", 0.0));
}

TEST_CASE("multiclass_hinge: a margin of exactly 0 is a KINK with subgradient 0, not a FAIL",
          "[multiclass_hinge][kink]") {
  // Column 0: margin of class 0 = 0 - 1 + 1 = 0 exactly (label 1); column 1: margin of class 2 =
  // 2.5 - 3.5 + 1 = 0 exactly (label 0). The other margins are away from 0.
  const arma::mat scores{{0.0, 3.5}, {1.0, -2.0}, {0.5, 2.5}};
  const arma::uvec labels{1, 0};
  const double B = 2.0;
  REQUIRE(ops::multiclass_hinge_backward(scores, labels)(0, 0) == 0.0);  // the subgradient taken
  const check::CheckResult r = check::check_vjp(
      hinge_loss(scores, labels, false, ops::multiclass_hinge_backward));
  INFO(table(r));
  // Each kink is felt by two scores: the class's own and the label's.
  CHECK(dscores(r).kinks == 4);
  CHECK(dscores(r).failed == 0);
  CHECK(r.verdict() == Verdict::kink);
  // The other end of the bracket (1/B at the kink, with -1/B more on the label) is valid too.
  auto at_kinks = [&](double value) {
    return [=](const arma::mat& S, const arma::uvec& y) {
      arma::mat d = ops::multiclass_hinge_backward(S, y);
      d(0, 0) += value / B, d(1, 0) -= value / B;  // column 0's kink: class 0, label 1
      d(2, 1) += value / B, d(0, 1) -= value / B;  // column 1's kink: class 2, label 0
      return d;
    };
  };
  CHECK(check::check_vjp(hinge_loss(scores, labels, false, at_kinks(1.0))).verdict() == Verdict::kink);
  // 1/2, the mean of the one-sided slopes, is what central differences measure: a plain PASS.
  CHECK(check::check_vjp(hinge_loss(scores, labels, false, at_kinks(0.5))).verdict() == Verdict::pass);
  // Outside [0, 1/B] it is no subgradient: FAIL, and only at the kinks.
  const check::CheckResult wrong = check::check_vjp(hinge_loss(scores, labels, false, at_kinks(2.0)));
  INFO(table(wrong));
  CHECK(wrong.verdict() == Verdict::fail);
  CHECK(dscores(wrong).diagnosis.pattern == Pattern::kinks_only);
}

TEST_CASE("binary_hinge: a margin of exactly 0 is a KINK with subgradient 0, not a FAIL",
          "[binary_hinge][kink]") {
  // 1 - y s = 0 exactly at columns 0 (s = 1, y = +1) and 2 (s = -1, y = -1)
  const arma::mat scores{{1.0, 0.3, -1.0, -2.0}};
  const arma::uvec labels{1, 1, 0, 1};
  REQUIRE(ops::binary_hinge_backward(scores, labels)(0, 0) == 0.0);  // the subgradient taken
  const check::CheckResult r = check::check_vjp(hinge_loss(scores, labels, true, ops::binary_hinge_backward));
  INFO(table(r));
  CHECK(dscores(r).kinks == 2);
  CHECK(dscores(r).failed == 0);
  CHECK(r.verdict() == Verdict::kink);
  // torch.clamp(1 - y s, min=0) takes the other end, -y / B: also a subgradient.
  auto at_kinks = [](double value) {
    return [=](const arma::mat& S, const arma::uvec& y) {
      arma::mat d = ops::binary_hinge_backward(S, y);
      d(0, 0) = -value / 4.0;  // y = +1
      d(0, 2) = value / 4.0;   // y = -1
      return d;
    };
  };
  CHECK(check::check_vjp(hinge_loss(scores, labels, true, at_kinks(1.0))).verdict() == Verdict::kink);
  const check::CheckResult wrong = check::check_vjp(hinge_loss(scores, labels, true, at_kinks(-1.0)));
  INFO(table(wrong));
  CHECK(wrong.verdict() == Verdict::fail);
  CHECK(dscores(wrong).diagnosis.pattern == Pattern::kinks_only);
}

TEST_CASE("multiclass_hinge: wrong backward passes FAIL with a diagnosis (sign, no 1/B, label row)",
          "[multiclass_hinge][diagnosis]") {
  Rng rng(31);
  const arma::mat scores = random_normal(5, 8, rng);
  const arma::uvec labels{0, 3, 2, 4, 1, 1, 0, 2};
  const double B = 8.0;
  auto check_wrong = [&](HingeBackward wrong) {
    const check::CheckResult r = check::check_vjp(hinge_loss(scores, labels, false, wrong));
    INFO(table(r));
    CHECK(r.verdict() == Verdict::fail);
    return dscores(r).diagnosis;
  };
  REQUIRE(check::check_vjp(hinge_loss(scores, labels, false, ops::multiclass_hinge_backward))
              .verdict() == Verdict::pass);

  SECTION("sign flipped") {
    const check::Diagnosis d = check_wrong([](const arma::mat& S, const arma::uvec& y) {
      return arma::mat(-ops::multiclass_hinge_backward(S, y));
    });
    CHECK(d.pattern == Pattern::sign);
  }
  SECTION("the batch mean never applied (no 1/B)") {
    const check::Diagnosis d = check_wrong([B](const arma::mat& S, const arma::uvec& y) {
      return arma::mat(B * ops::multiclass_hinge_backward(S, y));
    });
    CHECK(d.pattern == Pattern::scale);
    CHECK(d.constant == Approx(B).epsilon(1e-6));
    CHECK(d.summary.find("the batch mean never applied") != std::string::npos);
  }
  SECTION("the label's row counted as a margin of its own in term 1 (it is always 1 > 0)") {
    // the label's entry gets 1/B too: off by 1/B at one entry per column, no pattern of the
    // checker's (it says so rather than guess)
    const check::Diagnosis d = check_wrong([B, labels](const arma::mat& S, const arma::uvec& y) {
      return arma::mat(ops::multiclass_hinge_backward(S, y) + one_hot(labels, S.n_rows) / B);
    });
    CHECK(d.pattern == Pattern::unknown);
  }
  SECTION("term 2 left out (the label's score gets no gradient)") {
    const check::Diagnosis d = check_wrong([](const arma::mat& S, const arma::uvec& y) {
      arma::mat d = ops::multiclass_hinge_backward(S, y);
      for (arma::uword b = 0; b < S.n_cols; ++b) d(y(b), b) = 0.0;
      return d;
    });
    CHECK(d.pattern == Pattern::mask);  // zero where the numeric gradient is not
  }
}

TEST_CASE("binary_hinge: wrong backward passes FAIL with a diagnosis (sign, no 1/B, labels not signs)",
          "[binary_hinge][diagnosis]") {
  Rng rng(32);
  const arma::mat scores = 1.5 * random_normal(1, 10, rng);
  const arma::uvec labels{1, 0, 0, 1, 1, 0, 1, 0, 1, 1};
  const double B = 10.0;
  auto check_wrong = [&](HingeBackward wrong) {
    const check::CheckResult r = check::check_vjp(hinge_loss(scores, labels, true, wrong));
    INFO(table(r));
    CHECK(r.verdict() == Verdict::fail);
    return dscores(r).diagnosis;
  };
  REQUIRE(check::check_vjp(hinge_loss(scores, labels, true, ops::binary_hinge_backward)).verdict() ==
          Verdict::pass);

  SECTION("sign flipped") {
    const check::Diagnosis d = check_wrong([](const arma::mat& S, const arma::uvec& y) {
      return arma::mat(-ops::binary_hinge_backward(S, y));
    });
    CHECK(d.pattern == Pattern::sign);
  }
  SECTION("the batch mean never applied (no 1/B)") {
    const check::Diagnosis d = check_wrong([B](const arma::mat& S, const arma::uvec& y) {
      return arma::mat(B * ops::binary_hinge_backward(S, y));
    });
    CHECK(d.pattern == Pattern::scale);
    CHECK(d.summary.find("the batch mean never applied") != std::string::npos);
  }
  SECTION("labels 0/1 used as y instead of the signs -1/+1") {
    // dscores = -labels 1[1 - labels s > 0] / B: class 0 gets no gradient at all
    const check::Diagnosis d = check_wrong([B](const arma::mat& S, const arma::uvec& y) {
      const arma::rowvec wrong_y = arma::conv_to<arma::rowvec>::from(y);
      const arma::rowvec active = arma::conv_to<arma::rowvec>::from((1.0 - wrong_y % S) > 0.0);
      return arma::mat(-wrong_y % active / B);
    });
    CHECK(d.pattern == Pattern::mask);  // zero where the numeric gradient is not
  }
}

TEST_CASE("losses: MulticlassHingeLoss and BinaryHingeLoss are their ops and pass check_vjp",
          "[nn][loss][multiclass_hinge][binary_hinge]") {
  nn::MulticlassHingeLoss multiclass;
  CHECK(multiclass.forward(cs231n_scores, cs231n_labels) ==
        ops::multiclass_hinge_forward(cs231n_scores, cs231n_labels));
  CHECK(arma::approx_equal(multiclass.backward(),
                           ops::multiclass_hinge_backward(cs231n_scores, cs231n_labels), "absdiff", 0.0));
  Rng rng(33);
  const arma::mat scores = random_normal(4, 6, rng);
  const arma::uvec labels{3, 0, 1, 1, 2, 0};
  CHECK(check::check_vjp(nn::differentiable(multiclass, scores, labels)).verdict() == Verdict::pass);

  nn::BinaryHingeLoss binary;
  const arma::mat s = 1.5 * random_normal(1, 6, rng);
  const arma::uvec y{1, 0, 0, 1, 1, 0};
  CHECK(binary.forward(s, y) == ops::binary_hinge_forward(s, y));
  CHECK(arma::approx_equal(binary.backward(), ops::binary_hinge_backward(s, y), "absdiff", 0.0));
  CHECK(check::check_vjp(nn::differentiable(binary, s, y)).verdict() == Verdict::pass);
  // one score per sample, labels 0 or 1, and no backward before a forward
  nn::BinaryHingeLoss fresh;
  CHECK_THROWS_AS(fresh.backward(), std::invalid_argument);
  CHECK_THROWS_WITH(binary.forward(arma::mat(2, 6, arma::fill::zeros), y),
                    Catch::Contains("BinaryHingeLoss.forward") && Catch::Contains("2x6"));
  CHECK_THROWS_WITH(binary.forward(s, arma::uvec{1, 0, 2, 1, 1, 0}),
                    Catch::Contains("BinaryHingeLoss.forward") && Catch::Contains("label 2"));
}
