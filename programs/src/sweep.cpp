#include "gradlab/programs/sweep.hpp"

#include "gradlab/programs/interrupt.hpp"
#include "gradlab/fast/blas.hpp"
#include "gradlab/io/files.hpp"
#include "gradlab/text.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <iostream>
#include <set>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace gradlab::lab {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The command line this process was started with, for the cells it starts (read back from
// /proc: run_sweep does not take argv, and CLI11 has consumed it).
std::vector<std::string> own_arguments() {
  const std::string raw = io::read_file("/proc/self/cmdline");
  std::vector<std::string> args;
  std::string::size_type start = 0;
  while (start < raw.size()) {
    const auto end = raw.find('\0', start);
    args.push_back(raw.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return args;
}

fs::path cell_folder(const LabOptions& o, const Cell& c) { return o.out / "cells" / c.id; }

std::string mode_of(const LabOptions& o) { return o.full ? "full" : "quick"; }

// Runs cell k in this process into its folder; its cell.json says how it ended. Returns the exit
// status of a --cell run: 0 done, 1 failed, 130 interrupted.
int run_cell_here(const LabOptions& o, const Sweep& sweep, std::size_t k) {
  const Cell& c = sweep.cells[k];
  const fs::path folder = cell_folder(o, c);
  fs::create_directories(folder);
  fs::remove(folder / "cell.json");  // an earlier run's verdict no longer holds
  json record = {{"index", k}, {"id", c.id}, {"lab", o.name}, {"mode", mode_of(o)}, {"settings", c.settings}};
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  try {
    record["result"] = sweep.run(c, folder);
    record["status"] = interrupt_flag() ? "interrupted" : "done";
    status = interrupt_flag() ? 130 : 0;
  } catch (const std::exception& e) {
    record["status"] = "failed";
    record["error"] = e.what();
    std::cerr << o.name << ": cell " << c.id << " failed: " << e.what() << '\n';
    status = 1;
  }
  record["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  io::write_file_atomically(folder / "cell.json", record.dump(2) + "\n");
  return status;
}

struct Child {
  pid_t pid;
  std::size_t cell;
  std::chrono::steady_clock::time_point start;
};

// Starts cell k as `<this program> <its arguments> --cell k`, its output into log.txt.
Child start_cell(const LabOptions& o, const Sweep& sweep, std::size_t k, const std::vector<std::string>& args) {
  const fs::path folder = cell_folder(o, sweep.cells[k]);
  fs::create_directories(folder);
  fs::remove(folder / "cell.json");
  const std::string log = (folder / "log.txt").string();
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> cell_args = args;
  cell_args.push_back("--cell");
  cell_args.push_back(std::to_string(k));
  std::vector<char*> argv;
  for (std::string& a : cell_args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Its own process group: Ctrl-C at the terminal reaches this process alone, which passes each
  // press on (interrupt.hpp). The environment names this process, so that the cell stops when
  // this process dies.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "GRADLAB_SWEEP_PARENT=", 21) != 0) env_strings.emplace_back(*e);
  env_strings.push_back("GRADLAB_SWEEP_PARENT=" + std::to_string(::getpid()));
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, "/proc/self/exe", &files, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (error == 0) pass_interrupts_to(pid);
  if (error != 0)
    throw std::runtime_error("cannot start a process for cell " + sweep.cells[k].id + ": " + std::strerror(error));
  return {pid, k, std::chrono::steady_clock::now()};
}

std::string read_or_empty(const fs::path& file) {
  try {
    return io::read_file(file);
  } catch (const std::exception&) {
    return "";
  }
}

// Runs the cells `jobs` at a time as processes of their own.
void run_cells_as_processes(const LabOptions& o, const Sweep& sweep, int jobs) {
  const std::vector<std::string> args = own_arguments();
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int blas_threads = gradlab::fast::blas::threads();
  std::cout << o.name << ": " << sweep.cells.size() << " cells, " << jobs << " at a time on " << cores
            << " cores (" << blas_threads << " BLAS thread" << (blas_threads > 1 ? "s" : "") << " each); each cell's output in "
            << (o.out / "cells" / "<cell>" / "log.txt").string() << '\n';
  // The costliest cells first (ties in the grid's order).
  std::vector<std::size_t> order(sweep.cells.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sweep.cells[a].cost > sweep.cells[b].cost; });
  std::vector<Child> running;
  std::size_t next = 0, ended = 0;
  while (ended < sweep.cells.size()) {
    const bool stop = interrupt_flag();
    while (!stop && next < sweep.cells.size() && running.size() < static_cast<std::size_t>(jobs))
      running.push_back(start_cell(o, sweep, order[next++], args));
    if (running.empty()) break;  // interrupted: no more cells start
    int wstatus = 0;
    const pid_t pid = ::waitpid(-1, &wstatus, WNOHANG);
    if (pid <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    auto it = std::find_if(running.begin(), running.end(), [&](const Child& c) { return c.pid == pid; });
    if (it == running.end()) continue;
    stop_passing_interrupts_to(pid);
    const Cell& c = sweep.cells[it->cell];
    ++ended;
    std::cout << read_or_empty(cell_folder(o, c) / "log.txt");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->start).count();
    std::string how = WIFEXITED(wstatus) ? (WEXITSTATUS(wstatus) == 0 ? "done" : "exit status " + std::to_string(WEXITSTATUS(wstatus)))
                                         : "killed by signal " + std::to_string(WTERMSIG(wstatus));
    std::cout << "[" << ended << "/" << sweep.cells.size() << "] cell " << c.id << ": " << how << " ("
              << text::fixed(seconds, 1) << " s)" << std::endl;
    running.erase(it);
  }
}

// The finished cells of the grid found in OUT/cells, and one line for each that is not.
struct Gathered {
  std::vector<CellResult> finished;
  std::vector<std::string> missing;  // "<id>: why"
};

Gathered gather(const LabOptions& o, const Sweep& sweep) {
  Gathered g;
  for (const Cell& c : sweep.cells) {
    const fs::path folder = cell_folder(o, c);
    const fs::path file = folder / "cell.json";
    if (!fs::exists(file)) {
      g.missing.push_back(c.id + ": did not finish (no " + file.string() + ": killed, never run, or still running)");
      continue;
    }
    json record;
    try {
      record = json::parse(io::read_file(file));
    } catch (const std::exception& e) {
      g.missing.push_back(c.id + ": " + file.string() + " is unreadable: " + e.what());
      continue;
    }
    const std::string status = record.value("status", "");
    if (status == "failed") {
      g.missing.push_back(c.id + ": failed: " + record.value("error", "no message"));
      continue;
    }
    if (record.value("mode", "") != mode_of(o) || record.value("settings", json()) != c.settings) {
      g.missing.push_back(c.id + ": " + file.string() + " was run with other settings (" + record.value("mode", "?") +
                          " mode, " + record.value("settings", json()).dump() + ")");
      continue;
    }
    if (status != "done" && status != "interrupted") {
      g.missing.push_back(c.id + ": " + file.string() + " has no status 'done'");
      continue;
    }
    g.finished.push_back({c, folder, record.value("result", json()), status == "interrupted"});
  }
  return g;
}

// --merge DIR...: each DIR's cells copied into OUT/cells (unless DIR is OUT itself).
void collect_into_out(const LabOptions& o, const Sweep& sweep) {
  std::set<std::string> ids;
  for (const Cell& c : sweep.cells) ids.insert(c.id);
  for (const fs::path& dir : o.merge) {
    std::vector<fs::path> cells;
    if (fs::exists(dir / "cell.json")) {
      cells.push_back(dir);
    } else if (fs::is_directory(dir / "cells")) {
      for (const auto& entry : fs::directory_iterator(dir / "cells"))
        if (entry.is_directory()) cells.push_back(entry.path());
    } else {
      throw std::invalid_argument("--merge " + dir.string() +
                                  ": neither a results folder (with cells/) nor a cell's folder (with cell.json)");
    }
    for (const fs::path& from : cells) {
      const std::string id = from.filename().string();
      if (ids.count(id) == 0) {
        std::cout << "--merge: " << from.string() << " is not a cell of this grid (see --list-cells); left out\n";
        continue;
      }
      const fs::path to = o.out / "cells" / id;
      std::error_code ec;
      if (fs::exists(to) && fs::equivalent(from, to, ec)) continue;
      fs::create_directories(to);
      fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    }
  }
}

int merge_and_report(const LabOptions& o, const Sweep& sweep) {
  const Gathered g = gather(o, sweep);
  bool interrupted = false;
  for (const CellResult& r : g.finished) interrupted = interrupted || r.interrupted;
  if (!g.finished.empty()) {
    json summary = sweep.merge(g.finished);
    json cells = json::array();
    for (const CellResult& r : g.finished)
      cells.push_back({{"id", r.cell.id}, {"settings", r.cell.settings}, {"result", r.result},
                       {"interrupted", r.interrupted}});
    summary["cells"] = cells;
    summary["not_merged"] = g.missing;
    write_summary(o, summary);
  }
  if (!g.missing.empty()) {
    std::cout << '\n' << o.name << ": " << g.missing.size() << " of " << sweep.cells.size()
              << " cells not merged (the tables and figures leave them out):\n";
    for (const std::string& m : g.missing) std::cout << "  " << m << '\n';
  }
  if (interrupted || interrupt_flag()) {
    std::cout << "interrupted: what finished is in " << o.out.string() << '\n';
    return 130;
  }
  return g.missing.empty() ? 0 : 1;
}

}  // namespace

nlohmann::json without_times(nlohmann::json j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      const std::string& key = it.key();
      if (key.size() >= 7 && key.compare(key.size() - 7, 7, "seconds") == 0) {
        it = j.erase(it);
      } else {
        *it = without_times(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& item : j) item = without_times(item);
  }
  return j;
}

void add_sweep_options(CLI::App& app, LabOptions& o) {
  app.add_option("--jobs", o.jobs, "cells of the grid run at a time, each as a process (0: the number of cores; 1: in turn, in this process)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--list-cells", o.list_cells, "print the grid's cells (K, id, settings) and exit");
  app.add_option("--cell", o.cell, "run cell K alone into OUT/cells/<id>/ (see --list-cells; merge with --merge)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--merge", o.merge, "build the tables and figures from the finished cells in these folders")
      ->expected(1, -1);
}

int run_sweep(const LabOptions& o, const Sweep& sweep) {
  std::set<std::string> ids;
  for (const Cell& c : sweep.cells)
    if (c.id.empty() || c.id.find('/') != std::string::npos || !ids.insert(c.id).second)
      throw std::logic_error(o.name + ": cell id '" + c.id + "' is empty, has a '/' or is not unique");
  // One BLAS thread per cell unless --threads says: the cores go to the cells, and a cell's
  // numbers do not depend on how the grid ran (OpenBLAS's sums change order with its threads).
  if (o.threads == 0) {
    gradlab::fast::blas::fix_threads(1);
    gradlab::fast::blas::set_threads(1);
  }
  if (o.list_cells) {
    for (std::size_t k = 0; k < sweep.cells.size(); ++k)
      std::cout << k << '\t' << sweep.cells[k].id << '\t' << sweep.cells[k].settings.dump() << '\n';
    return 0;
  }
  if (!o.merge.empty()) {
    if (o.cell >= 0) throw std::invalid_argument("--merge and --cell exclude each other");
    collect_into_out(o, sweep);
    return merge_and_report(o, sweep);
  }
  if (o.cell >= static_cast<int>(sweep.cells.size()))
    throw std::invalid_argument("--cell " + std::to_string(o.cell) + ": the grid has " +
                                std::to_string(sweep.cells.size()) + " cells, 0 to " +
                                std::to_string(sweep.cells.size() - 1) + " (see --list-cells)");
  interrupt_flag();  // Ctrl-C stops after the current step, here and in every cell
  if (sweep.prepare && !sweep.prepare()) return 0;  // skipped: the lab said why
  if (o.cell >= 0) {
    // Started by a grid (run_cells_as_processes): stop, cleanly, when the grid's process dies.
    if (const char* parent = std::getenv("GRADLAB_SWEEP_PARENT");
        parent != nullptr && std::to_string(::getppid()) == parent)
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    return run_cell_here(o, sweep, static_cast<std::size_t>(o.cell));
  }

  const auto start = std::chrono::steady_clock::now();
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int jobs = std::min<int>(o.jobs > 0 ? o.jobs : cores, static_cast<int>(sweep.cells.size()));
  if (jobs <= 1) {
    for (std::size_t k = 0; k < sweep.cells.size() && !interrupt_flag(); ++k) run_cell_here(o, sweep, k);
  } else {
    run_cells_as_processes(o, sweep, jobs);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int status = merge_and_report(o, sweep);
  std::cout << "\nwall time of the " << sweep.cells.size() << " cells: " << text::fixed(seconds, 1) << " s ("
            << std::max(jobs, 1) << " at a time)\n";
  return status;
}

}  // namespace gradlab::lab
