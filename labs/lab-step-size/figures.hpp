#pragma once
// lab-step-size's figures and their data: one figure per experiment (the error of each scheme
// against the step, with the theoretical slopes, the rounding floor and the best steps), and the
// Taylor test's remainders against the step.
#include "schemes.hpp"
#include "taylor.hpp"

#include "gradlab/check/taylor.hpp"

#include <filesystem>
#include <vector>

namespace lab_step_size {

// error-<function>-<precision>.csv, its -best.csv and its figure.
void write_experiment(const Experiment& e, const std::vector<double>& steps, const std::filesystem::path& out);

// taylor.csv and its figure: the remainder of each case (reports[k] the test of cases[k]).
void write_taylor_figure(const std::vector<TaylorCase>& cases, const std::vector<gradlab::check::TaylorResult>& reports,
                         const std::filesystem::path& out);

}  // namespace lab_step_size
