#pragma once
// lab-mnist-linear's tables and figures, made from its finished runs (main.cpp runs them as the
// cells of a grid): part 1, the softmax-regression grid; part 2, the deep model.
#include "gradlab/programs/lab.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lab_mnist_linear {

constexpr int evals_per_epoch = 5;  // the report's "5 times per epoch"

// One trained model and what the lab reads from it.
struct Result {
  std::string key;  // the run's cell
  std::string csv;  // its history.csv as the figures in out/ name it
  double lr = 0.0;  // the initial learning rate as the grid states it
  nlohmann::json config;
  std::string activation, outcome;
  bool decay = false, momentum = false;
  int hidden_layers = 0;
  arma::uword hidden = 0;
  double final_test = arma::datum::nan;       // test accuracy after the last evaluation
  double best_validation = arma::datum::nan;  // the best validation accuracy of the run
  double test_at_best = arma::datum::nan;     // test accuracy at that evaluation
  double epoch_at_best = arma::datum::nan;
  int evals_to_within = -1;                   // evaluations needed to reach best - 1 point
  int evals_to_within_relative = -1;          // evaluations needed to reach 0.99 best
};

// What the tables say about the settings.
struct Context {
  const gradlab::lab::LabOptions& options;
  std::vector<double> rates;
  double momentum;
  std::string momentum_form, decay_round, mode_note;
  arma::uword deep_batch;
  std::vector<int> depths;
};

// The epoch (1, 2, ...) in which evaluation k (1, 2, ...) falls: the report's unit ("we are
// measuring accuracy 5 times per epoch, so a value of 8 is within epoch 2"); -1 stays -1.
int epoch_of(int evaluation);
std::string rate_text(double lr);

// Part 1: grid.csv, evaluations-by-rate.csv, history.csv (the model picked on validation), the
// grid's rows of the table and its four figures.
void report_linear(const std::vector<Result>& grid, const Context& c, gradlab::lab::Comparison& table);
// Part 2: deep.csv, the deep model's rows and its two figures.
void report_deep(const std::vector<Result>& deep, const Context& c, gradlab::lab::Comparison& table);

}  // namespace lab_mnist_linear
