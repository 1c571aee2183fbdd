#pragma once
// lab-momentum's reading of a run and its report-vs-ours table (main.cpp runs the grid).
#include "gradlab/programs/sweep.hpp"
#include "gradlab/train/history.hpp"
#include "gradlab/train/run.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lab_momentum {

struct Experiment {
  std::string key;      // "lr0.01-m0.9", "deep"
  std::string figure;   // the report's figure: "Fig. 7"
  std::string title;    // the report's figure title
  std::string claim;    // what the report says about it
  gradlab::train::RunConfig config;
};

// What a run's curves say, in the report's terms: final, best and lowest-loss figures, and in how
// many epochs the test accuracy fell.
nlohmann::json read(const gradlab::train::History& h);

// The finished cells of one run, over its seeds.
struct Runs {
  const Experiment* experiment;
  std::vector<const gradlab::lab::CellResult*> seeds;  // the first is the first seed's, when it finished
  std::vector<double> values(const char* field) const {
    std::vector<double> v;
    for (const gradlab::lab::CellResult* c : seeds)
      if (const double x = c->result["reading"][field].get<double>(); std::isfinite(x)) v.push_back(x);
    return v;
  }
  std::string mean(const char* field) const { return gradlab::lab::mean_std(values(field), true); }
};

// The table: the data and updates, one row per run (the report's claim beside our accuracies
// over the seeds), the six-layer net's validation accuracy against the report's 97.99%, and the
// accuracy from momentum 0.1 to 0.9 at each rate.
gradlab::lab::Comparison comparison(const std::vector<Runs>& results, const gradlab::lab::LabOptions& options,
                                    arma::uword batch, int epochs, const nlohmann::json& data);

}  // namespace lab_momentum
