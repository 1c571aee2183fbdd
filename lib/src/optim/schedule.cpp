#include "gradlab/optim/schedule.hpp"

#include "gradlab/shape.hpp"
#include "options.hpp"

#include <cmath>
#include <numbers>

namespace gradlab::optim {

using detail::format_value;

ConstantSchedule::ConstantSchedule(double lr0) : lr0_(lr0) {
  detail::require_positive("ConstantSchedule", "lr0", lr0);
}

double ConstantSchedule::learning_rate(std::size_t, const std::vector<double>&) const {
  return lr0_;
}

std::string ConstantSchedule::name() const { return "constant(" + format_value(lr0_) + ")"; }

StepDecay::StepDecay(double lr0, double gamma, std::size_t every)
    : lr0_(lr0), gamma_(gamma), every_(every) {
  detail::require_positive("StepDecay", "lr0", lr0);
  detail::require_positive("StepDecay", "gamma", gamma);
  require(every >= 1, "StepDecay", "every = 0 must be >= 1");
}

double StepDecay::learning_rate(std::size_t epoch, const std::vector<double>&) const {
  // lr(e) = lr0 gamma^floor(e / every)   (integer division is the floor)
  return lr0_ * std::pow(gamma_, static_cast<double>(epoch / every_));
}

std::string StepDecay::name() const {
  return "step(" + format_value(lr0_) + ", gamma " + format_value(gamma_) + ", every " +
         std::to_string(every_) + ")";
}

HalveOnLossDecrease::HalveOnLossDecrease(double lr0) : lr0_(lr0) {
  detail::require_positive("HalveOnLossDecrease", "lr0", lr0);
}

double HalveOnLossDecrease::learning_rate(std::size_t epoch,
                                          const std::vector<double>& train_losses) const {
  require(train_losses.size() >= epoch, "HalveOnLossDecrease::learning_rate", [&] {
    return "epoch " + std::to_string(epoch) + " needs the training losses of the " +
           std::to_string(epoch) + " finished rounds, got " + std::to_string(train_losses.size());
  });
  // Replay the rule round by round: after round j, halve if its loss fell below round j-1's.
  double lr = lr0_;
  for (std::size_t j = 1; j < epoch; ++j)
    if (train_losses[j] < train_losses[j - 1]) lr *= 0.5;
  return lr;
}

std::string HalveOnLossDecrease::name() const {
  return "halve-on-loss-decrease(" + format_value(lr0_) + ")";
}

CosineAnnealing::CosineAnnealing(double lr0, double lr_min, std::size_t T)
    : lr0_(lr0), lr_min_(lr_min), T_(T) {
  detail::require_positive("CosineAnnealing", "lr0", lr0);
  detail::require_nonnegative("CosineAnnealing", "lr_min", lr_min);
  require(lr_min <= lr0, "CosineAnnealing", [&] {
    return "lr_min = " + format_value(lr_min) + " must be <= lr0 = " + format_value(lr0);
  });
  require(T >= 1, "CosineAnnealing", "T = 0 must be >= 1");
}

double CosineAnnealing::learning_rate(std::size_t epoch, const std::vector<double>&) const {
  if (epoch >= T_) return lr_min_;
  // lr(e) = lr_min + (lr0 - lr_min) (1 + cos(pi e / T)) / 2
  const double angle = std::numbers::pi * static_cast<double>(epoch) / static_cast<double>(T_);
  return lr_min_ + (lr0_ - lr_min_) * (1.0 + std::cos(angle)) / 2.0;
}

std::string CosineAnnealing::name() const {
  return "cosine(" + format_value(lr0_) + " to " + format_value(lr_min_) + " over " +
         std::to_string(T_) + ")";
}

}  // namespace gradlab::optim
