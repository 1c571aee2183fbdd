// Learning-rate schedules (optim/schedule.hpp): exact values at given epochs.
#include "gradlab/optim/schedule.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

using namespace gradlab;

TEST_CASE("schedule constant: lr(e) = lr0", "[optim][schedule]") {
  const optim::ConstantSchedule s(0.1);
  for (std::size_t e : {0u, 1u, 7u, 1000u}) CHECK(s.learning_rate(e, {}) == 0.1);
  CHECK(s.learning_rate(3, {1.0, 0.5, 0.25}) == 0.1);  // losses are ignored
}

TEST_CASE("schedule step decay: lr(e) = lr0 gamma^floor(e / every)", "[optim][schedule]") {
  const optim::StepDecay s(0.2, 0.5, 3);
  const double expected[] = {0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
  for (std::size_t e = 0; e < 10; ++e) {
    INFO("epoch " << e);
    CHECK(s.learning_rate(e, {}) == Approx(expected[e]).epsilon(1e-15));
  }
  CHECK(s.learning_rate(30, {}) == Approx(0.2 * std::pow(0.5, 10)).epsilon(1e-15));
  const optim::StepDecay every_epoch(1.0, 0.9, 1);
  CHECK(every_epoch.learning_rate(2, {}) == Approx(0.81).epsilon(1e-15));
}

TEST_CASE("schedule report 002: halve lr after a round whose training loss decreased",
          "[optim][schedule]") {
  // "if training loss decreased from the previous round, then halve the learning rate"
  const optim::HalveOnLossDecrease s(0.8);
  //                         round:  0    1    2    3    4    5    6
  const std::vector<double> losses{2.0, 1.5, 1.7, 1.2, 1.2, 1.1, 0.9};
  // lr before round e: rounds 0 and 1 have nothing to compare; then a halving for each
  // decrease among L[1] < L[0] (yes), L[2] < L[1] (no), L[3] < L[2] (yes), L[4] < L[3] (no:
  // equal is not a decrease), L[5] < L[4] (yes), L[6] < L[5] (yes).
  const double expected[] = {0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.05};
  for (std::size_t e = 0; e <= 7; ++e) {
    INFO("round " << e);
    const std::vector<double> finished(losses.begin(),
                                       losses.begin() + std::min<std::size_t>(e, 7));
    CHECK(s.learning_rate(e, finished) == expected[e]);
    CHECK(s.learning_rate(e, losses) == expected[e]);  // losses of later rounds are not used
  }
  // a loss that only rises never halves
  CHECK(s.learning_rate(4, {1.0, 2.0, 3.0, 4.0}) == 0.8);
  // the losses of the finished rounds are needed
  CHECK_THROWS_AS(s.learning_rate(3, {1.0, 0.5}), std::invalid_argument);
}

TEST_CASE("schedule cosine: lr(e) = lr_min + (lr0 - lr_min) (1 + cos(pi e / T)) / 2",
          "[optim][schedule]") {
  const optim::CosineAnnealing s(0.1, 0.001, 12);
  CHECK(s.learning_rate(0, {}) == 0.1);
  CHECK(s.learning_rate(4, {}) == Approx(0.001 + 0.099 * 0.75).epsilon(1e-14));  // cos(pi/3) = 1/2
  CHECK(s.learning_rate(6, {}) == Approx(0.0505).epsilon(1e-14));                // the midpoint
  CHECK(s.learning_rate(8, {}) == Approx(0.001 + 0.099 * 0.25).epsilon(1e-14));  // cos(2 pi/3)
  CHECK(s.learning_rate(3, {}) ==
        Approx(0.001 + 0.099 * (1 + std::numbers::sqrt2 / 2) / 2).epsilon(1e-14));  // cos(pi/4)
  CHECK(s.learning_rate(12, {}) == Approx(0.001).epsilon(1e-14));
  CHECK(s.learning_rate(13, {}) == 0.001);  // stays at lr_min after T
  CHECK(s.learning_rate(100, {}) == 0.001);
  for (std::size_t e = 1; e <= 12; ++e) CHECK(s.learning_rate(e, {}) < s.learning_rate(e - 1, {}));
}

TEST_CASE("schedule: invalid options throw naming the option and its value", "[optim][schedule]") {
  auto message = [](auto make) -> std::string {
    try {
      make();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "(nothing thrown)";
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(message([] { optim::ConstantSchedule(0.0); }),
             Contains("ConstantSchedule") && Contains("lr0 = 0"));
  CHECK_THAT(message([] { optim::StepDecay(0.1, -0.5, 2); }),
             Contains("StepDecay") && Contains("gamma = -0.5"));
  CHECK_THAT(message([] { optim::StepDecay(0.1, 0.5, 0); }), Contains("every = 0"));
  CHECK_THAT(message([] { optim::HalveOnLossDecrease(-1.0); }), Contains("lr0 = -1"));
  CHECK_THAT(message([] { optim::CosineAnnealing(0.1, 0.2, 10); }), Contains("lr_min = 0.2"));
  CHECK_THAT(message([] { optim::CosineAnnealing(0.1, -0.1, 10); }), Contains("lr_min = -0.1"));
  CHECK_THAT(message([] { optim::CosineAnnealing(0.1, 0.0, 0); }), Contains("T = 0"));
  CHECK_THAT(message([] { optim::CosineAnnealing(std::nan(""), 0.0, 5); }),
             Contains("lr0 = ") && Contains("nan"));
}
