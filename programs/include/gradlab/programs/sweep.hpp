#pragma once
// The labs' runner: a lab is a grid of cells (one training run each: a configuration and a seed)
// and a merge that turns the finished cells into the lab's tables, figures and summary.json.
//
// Each cell runs into its own folder, OUT/cells/<id>/, and ends by writing cell.json there
// (its settings, "done", "interrupted" or "failed", and what the merge needs); the files it writes
// beside it (a history CSV, its log) stay there. The merge reads cell.json files only, so the
// lab's results are the same however the cells ran:
//   --jobs N     N cells at a time, each a process of its own (the same program with --cell K),
//                its output kept in its folder's log.txt and printed when it ends. --jobs 1 runs them in turn in
//                this process. Default: the number of cores.
//   --list-cells prints the cells, one per line: K, id, settings (JSON).
//   --cell K     runs cell K alone into OUT/cells/<id>/ (and merges nothing): a way to hand the
//                cells of a grid to GNU parallel or a Slurm job array.
//   --merge DIR...  builds the tables and figures from finished cells: DIR is a results folder
//                (with cells/) or one cell's folder; cells from elsewhere are copied into OUT/cells.
// Each cell runs its BLAS on one thread unless --threads gives more: the grid's cores go to its
// cells, and a cell's numbers do not depend on how the grid ran (OpenBLAS's sums change order
// with its thread count, in the last bits).
// A cell that failed or never finished (killed) is named, the others are merged, and the exit
// status is 1. Ctrl-C (or SIGTERM) stops the running cells after their current step and starts
// no more; what ran is merged and the exit status is 130. The cells of a grid whose process is
// killed stop as if interrupted.
#include "gradlab/programs/lab.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gradlab::lab {

struct Cell {
  std::string id;          // its folder's name, unique in the grid: "lr0.01-m0.9-seed-1"
  nlohmann::json settings;  // what the lab needs to run it, and what must match to merge it
  // Its expected cost against the grid's other cells: with --jobs N the costliest start first,
  // so that a long cell does not run alone at the end (the merge keeps the grid's order).
  double cost = 1.0;
};

// A finished cell as the merge sees it.
struct CellResult {
  Cell cell;
  std::filesystem::path folder;  // OUT/cells/<id>: the files the run wrote
  nlohmann::json result;         // what the lab's run returned
  bool interrupted = false;      // stopped with Ctrl-C: its result covers what ran
  // A file of that folder as a figure in OUT names it: "cells/<id>/<name>".
  std::string file(const std::string& name) const { return "cells/" + cell.id + "/" + name; }
};

struct Sweep {
  std::vector<Cell> cells;
  // Before any cell runs (in this process; not for --list-cells or --merge): loads the data, or
  // returns false when the lab skips (it has said why).
  std::function<bool()> prepare;
  // Runs one cell, writing its files into folder; returns what the merge needs. An exception
  // fails this cell only.
  std::function<nlohmann::json(const Cell& cell, const std::filesystem::path& folder)> run;
  // Builds the lab's tables and figures from the finished cells, in grid order, and returns what
  // goes into summary.json; the runner adds "cells" (each finished cell's id, settings and result)
  // and "not_merged" (the cells that failed or did not finish, and why).
  std::function<nlohmann::json(const std::vector<CellResult>& finished)> merge;
};

// Adds --jobs, --list-cells, --cell and --merge.
void add_sweep_options(CLI::App& app, LabOptions& options);

// Runs the grid as the options say; returns the exit status. Throws std::invalid_argument for a
// --cell out of range or a --merge folder that holds no cells.
int run_sweep(const LabOptions& options, const Sweep& sweep);

// j without the keys that end in "seconds" (at any depth): what a run computed, not how long it
// took, so that its results are the same byte for byte however the cells ran.
nlohmann::json without_times(nlohmann::json j);

// The file a cell's history goes into, in its folder.
inline constexpr const char* cell_history = "history.csv";

}  // namespace gradlab::lab
