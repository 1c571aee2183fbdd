// Adam's update (optim/adam.hpp) on f(theta) = 1/2 theta^T A theta - b^T theta, A = diag(a) > 0:
// the first step in closed form, three steps worked by hand, the moment buffers against their
// recurrences, coupled weight decay, and convergence to A^-1 b.
#include "gradlab/optim/adam.hpp"
#include "gradlab/optim/schedule.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace gradlab;

namespace {

struct Quadratic {
  arma::mat a;  // the diagonal of A, shaped like theta
  arma::mat b;
  arma::mat gradient(const arma::mat& theta) const { return a % theta - b; }  // A theta - b
  arma::mat minimiser() const { return b / a; }                               // A^-1 b
};

const Quadratic quadratic{arma::mat(arma::vec{0.5, 2.0, 9.0}),
                          arma::mat(arma::vec{0.3, -2.0, 3.0})};
const arma::mat theta0 = arma::vec{1.5, -0.7, 2.0};

// theta_0 .. theta_steps of Adam on q from theta0.
std::vector<arma::mat> trajectory(const Quadratic& q, int steps,
                                  const optim::AdamOptions& options) {
  arma::mat theta = theta0, grad(arma::size(theta0), arma::fill::zeros);
  optim::Adam adam({{"theta", &theta, &grad}}, options);
  std::vector<arma::mat> iterates{theta};
  for (int k = 0; k < steps; ++k) {
    grad = q.gradient(theta);
    adam.step();
    iterates.push_back(theta);
  }
  return iterates;
}

}  // namespace

TEST_CASE("Adam step 1: theta -= lr g / (|g| + eps), about lr sign(g)", "[optim][adam]") {
  // At t = 1, m_hat = g and v_hat = g^2 exactly (bias correction), so the move is
  // lr g / (|g| + eps) whatever the gradient's scale: lr sign(g) when |g| >> eps, lr / 2 at
  // |g| = eps. Without the bias correction it would be lr (1 - beta1) / sqrt(1 - beta2) ~ 3.2 lr.
  const double lr = 0.01, eps = 1e-8;
  arma::mat theta{{1.0, -2.0}, {3.0, 0.5}};
  const arma::mat before = theta;
  arma::mat grad{{1e3, -1.0}, {1e-8, -1e-3}};
  optim::Adam adam({{"W", &theta, &grad}}, {.learning_rate = lr, .eps = eps});
  adam.step();
  const arma::mat move = before - theta;
  for (arma::uword j = 0; j < grad.n_elem; ++j) {
    INFO("g = " << grad(j));
    CHECK(move(j) == Approx(lr * grad(j) / (std::abs(grad(j)) + eps)).epsilon(1e-12));
  }
  CHECK(move(0) == Approx(lr).epsilon(1e-10));      // g = 1e3
  CHECK(move(2) == Approx(-lr).epsilon(1e-7));      // g = -1
  CHECK(move(1) == Approx(lr / 2).epsilon(1e-12));  // g = eps
  CHECK(move(3) == Approx(-lr).epsilon(1e-4));      // g = -1e-3: eps / |g| = 1e-5
}

TEST_CASE("Adam: steps 1-3 on f = theta^2 match the values worked by hand", "[optim][adam]") {
  // f = theta^2 (a = 2, b = 0), theta_0 = 1, lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
  // t = 1: g = 2, m = 0.2, v = 0.004, m_hat = 0.2 / 0.1 = 2, v_hat = 0.004 / 0.001 = 4,
  //        theta_1 = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9000000004999999975...
  // t = 2: g = 2 theta_1 = 1.800000001, m = 0.18 + 0.1 g = 0.3600000001, m_hat = m / 0.19,
  //        v = 0.999 * 0.004 + 0.001 g^2 = 0.0072360000036, v_hat = v / 0.001999,
  //        theta_2 = theta_1 - 0.1 m_hat / (sqrt(v_hat) + 1e-8)
  // t = 3: likewise with 1 - 0.9^3 = 0.271 and 1 - 0.999^3 = 0.002997002.
  // Values carried to 40 digits in decimal arithmetic and rounded:
  const double expected[] = {0.90000000049999999750, 0.80041222869179214524,
                             0.70158627294602954516};
  arma::mat theta{1.0}, grad{0.0};
  optim::Adam adam({{"theta", &theta, &grad}}, {.learning_rate = 0.1});
  for (int t = 1; t <= 3; ++t) {
    grad = 2.0 * theta;
    adam.step();
    INFO("t = " << t);
    CHECK(theta(0) == Approx(expected[t - 1]).epsilon(1e-13));
  }
  const optim::OptimizerState state = adam.export_state();
  CHECK(state.buffers.at(0)(0) == Approx(0.4840824458283584286).epsilon(1e-13));    // m_3
  CHECK(state.buffers.at(1)(0) == Approx(0.009791402946953847059).epsilon(1e-13));  // v_3
}

TEST_CASE("Adam: m, v, theta follow m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2 for 300 steps",
          "[optim][adam]") {
  // Non-default betas and eps, so each of them is exercised.
  const double lr = 0.05, beta1 = 0.8, beta2 = 0.99, eps = 1e-6;
  arma::mat theta = theta0, grad(3, 1, arma::fill::zeros);
  optim::Adam adam({{"theta", &theta, &grad}},
                   {.learning_rate = lr, .beta1 = beta1, .beta2 = beta2, .eps = eps});
  double reference[3], m[3] = {0, 0, 0}, v[3] = {0, 0, 0};  // one scalar recursion per coordinate
  for (int j = 0; j < 3; ++j) reference[j] = theta0(j);
  for (int t = 1; t <= 300; ++t) {
    grad = quadratic.gradient(theta);
    adam.step();
    const optim::OptimizerState state = adam.export_state();
    for (int j = 0; j < 3; ++j) {
      const double g = quadratic.a(j) * reference[j] - quadratic.b(j);
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      const double m_hat = m[j] / (1 - std::pow(beta1, t));
      const double v_hat = v[j] / (1 - std::pow(beta2, t));
      reference[j] -= lr * m_hat / (std::sqrt(v_hat) + eps);
      INFO("t = " << t << ", coordinate " << j);
      CHECK(std::abs(theta(j) - reference[j]) <= 1e-12);
      CHECK(std::abs(state.buffers.at(0)(j) - m[j]) <= 1e-12);
      CHECK(std::abs(state.buffers.at(1)(j) - v[j]) <= 1e-12);
    }
    CHECK(state.steps == static_cast<std::uint64_t>(t));
  }
}

TEST_CASE("Adam weight decay: coupled, g + wd theta enters m and v (not AdamW)",
          "[optim][adam][weight_decay]") {
  // Adam with wd on f follows Adam without decay on f + (wd/2) ||theta||^2 (a + wd).
  const double lr = 0.05, wd = 0.3;
  const Quadratic decayed{quadratic.a + wd, quadratic.b};
  const auto with_decay = trajectory(quadratic, 200, {.learning_rate = lr, .weight_decay = wd});
  const auto on_decayed = trajectory(decayed, 200, {.learning_rate = lr});
  for (int k = 0; k <= 200; ++k)
    CHECK(arma::approx_equal(with_decay[k], on_decayed[k], "absdiff", 1e-12));

  // The decoupled variant (AdamW: theta -= lr wd theta beside the Adam step on f) differs.
  arma::mat theta = theta0, m(3, 1, arma::fill::zeros), v(3, 1, arma::fill::zeros);
  for (int t = 1; t <= 200; ++t) {
    const arma::mat g = quadratic.gradient(theta);
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * (g % g);
    theta -= lr * wd * theta;
    theta -= lr * (m / (1 - std::pow(0.9, t))) / (arma::sqrt(v / (1 - std::pow(0.999, t))) + 1e-8);
  }
  CHECK(arma::abs(with_decay[200] - theta).max() > 1e-3);
  // and the decayed run ends at the shifted minimiser b / (a + wd) (to Adam's accuracy)
  CHECK(arma::abs(with_decay[200] - decayed.minimiser()).max() <
        arma::abs(theta0 - decayed.minimiser()).max());
}

TEST_CASE("Adam converges to A^-1 b", "[optim][adam]") {
  const auto it = trajectory(quadratic, 3000, {.learning_rate = 0.05});
  CHECK(arma::abs(it.front() - quadratic.minimiser()).max() > 0.5);
  CHECK(arma::abs(it.back() - quadratic.minimiser()).max() <= 1e-8);
}
