#pragma once
// Learning-rate schedules. A schedule maps an epoch and the training losses seen so far to the
// learning rate for that epoch; the training loop calls, before epoch e (0 = the first),
//
//       optimizer.set_learning_rate(schedule.learning_rate(e, train_losses));
//
// where train_losses[j] is the training loss measured at the end of epoch j, for every
// finished epoch j < e (so e entries). Schedules that ignore the losses accept any vector,
// empty included. A schedule keeps no state: the same arguments give the same rate, so a
// resumed run only needs the epoch and the loss history it already records.
//
// "Epoch" is whatever interval the loop steps the schedule on; a loop that evaluates several
// times per epoch may step it per evaluation ("round") instead, with one loss per round.
#include <cstddef>
#include <string>
#include <vector>

namespace gradlab::optim {

class Schedule {
 public:
  virtual ~Schedule() = default;
  virtual double learning_rate(std::size_t epoch,
                               const std::vector<double>& train_losses) const = 0;
  virtual std::string name() const = 0;  // "constant(0.1)", "step(0.1, gamma 0.5, every 10)", ...
};

// lr(e) = lr0 for every epoch.
class ConstantSchedule : public Schedule {
 public:
  explicit ConstantSchedule(double lr0);  // lr0 > 0
  double learning_rate(std::size_t epoch, const std::vector<double>& train_losses) const override;
  std::string name() const override;

 private:
  double lr0_;
};

// Step decay: multiply by gamma every `every` epochs.
//   lr(e) = lr0 gamma^floor(e / every)        e.g. lr0 = 0.1, gamma = 0.5, every = 10:
//                                             0.1 for epochs 0-9, 0.05 for 10-19, ...
class StepDecay : public Schedule {
 public:
  StepDecay(double lr0, double gamma, std::size_t every);  // lr0 > 0, gamma > 0, every >= 1
  double learning_rate(std::size_t epoch, const std::vector<double>& train_losses) const override;
  std::string name() const override;

 private:
  double lr0_, gamma_;
  std::size_t every_;
};

// The decay rule of report 002 (softmax regression and an MLP on MNIST), section 2.4:
//   "We used the following elementary decreasing learning rate algorithm: if training loss
//    decreased from the previous round, then halve the learning rate."
// Implemented as written: after each round, if that round's training loss is strictly lower
// than the previous round's, the rate for the next round is half the current one; otherwise it
// stays. The first round has nothing to compare with, so rounds 0 and 1 run at lr0. In closed
// form, with L = train_losses,
//   lr(e) = lr0 * (1/2)^n(e),   n(e) = #{ j : 1 <= j < e and L[j] < L[j-1] }.
// Note the trigger: the rate is cut while the loss is falling, not when it stops falling (the
// opposite of a reduce-on-plateau rule). The report describes nothing else: no patience, no
// threshold, no floor, so after n decreases the rate is lr0 / 2^n.
// The report evaluated five times per epoch; which interval its "round" is, it does not say.
class HalveOnLossDecrease : public Schedule {
 public:
  explicit HalveOnLossDecrease(double lr0);  // lr0 > 0
  // Throws std::invalid_argument when train_losses has fewer than `epoch` entries (the losses
  // of the finished rounds are needed); entries from index `epoch` on are ignored.
  double learning_rate(std::size_t epoch, const std::vector<double>& train_losses) const override;
  std::string name() const override;

 private:
  double lr0_;
};

// Cosine annealing from lr0 to lr_min over T epochs (one half cosine, no restarts):
//   lr(e) = lr_min + (lr0 - lr_min) (1 + cos(pi e / T)) / 2    for e <= T,
//   lr(e) = lr_min                                              for e > T.
// lr(0) = lr0, lr(T / 2) = (lr0 + lr_min) / 2, lr(T) = lr_min. With lr_min = 0 the rate at
// epoch T is 0, which an optimiser refuses: train epochs 0 .. T-1, or give lr_min > 0.
class CosineAnnealing : public Schedule {
 public:
  CosineAnnealing(double lr0, double lr_min, std::size_t T);  // 0 <= lr_min <= lr0, lr0 > 0, T >= 1
  double learning_rate(std::size_t epoch, const std::vector<double>& train_losses) const override;
  std::string name() const override;

 private:
  double lr0_, lr_min_;
  std::size_t T_;
};

}  // namespace gradlab::optim
