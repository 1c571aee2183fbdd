#include "gradlab/programs/blas.hpp"

#include "gradlab/fast/blas.hpp"
#include "gradlab/fast/blas_core.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace gradlab {

namespace {

constexpr const char* user_variable = "OPENBLAS_CORETYPE";
constexpr const char* chosen_variable = "GRADLAB_CORETYPE_CHOSEN";
constexpr const char* picked_variable = "GRADLAB_CORETYPE_PICKED";
constexpr const char* test_variable = "GRADLAB_TEST_GENERIC_BLAS";
// Set with OPENBLAS_CORETYPE by the run that GRADLAB_TEST_GENERIC_BLAS forces, so that its
// core counts as gradlab's, not the user's.
constexpr const char* forced_variable = "GRADLAB_CORETYPE_FORCED";

std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// Who set OPENBLAS_CORETYPE for this run.
enum class CoreSetBy { nobody, user, gradlab_chose, gradlab_test };

CoreSetBy core_set_by() {
  const std::string core = variable(user_variable);
  if (core.empty()) return CoreSetBy::nobody;
  if (core == variable(chosen_variable)) return CoreSetBy::gradlab_chose;
  if (core == variable(forced_variable)) return CoreSetBy::gradlab_test;
  return CoreSetBy::user;
}

// The program's name for its lines: the last part of argv[0].
std::string program_name(char** argv) {
  const std::string path = argv != nullptr && argv[0] != nullptr ? argv[0] : "gradlab";
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// This process's command line as the kernel holds it (with the program loader and its options
// when the program was started through one), else argv.
std::vector<std::string> command_line(char** argv) {
  std::vector<std::string> words;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = all.find('\0', start);
    words.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (words.empty() && argv != nullptr)
    for (char** a = argv; *a != nullptr; ++a) words.push_back(*a);
  return words;
}

// Runs this program again with the environment as it is now. Returns only on failure, with the
// reason.
std::string run_again(char** argv) {
  std::vector<std::string> words = command_line(argv);
  std::vector<char*> args;
  for (std::string& w : words) args.push_back(w.data());
  args.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ::execv("/proc/self/exe", args.data());
  return std::strerror(errno);
}

}  // namespace

void use_fast_blas_kernels(char** argv) {
  static bool done = false;
  if (done) return;
  done = true;
  const std::string name = program_name(argv);
  CoreSetBy set_by = core_set_by();

  const std::string test_core = variable(test_variable);
  if (!test_core.empty() && set_by == CoreSetBy::nobody) {
    ::setenv(user_variable, test_core.c_str(), 1);
    ::setenv(forced_variable, test_core.c_str(), 1);
    const std::string failure = run_again(argv);
    std::cerr << name << ": " << test_variable << ": could not run again: " << failure << '\n';
    ::unsetenv(user_variable);
    ::unsetenv(forced_variable);
    set_by = CoreSetBy::nobody;
  }

  fast::blas::CoreFacts facts;
  facts.core = fast::blas::core_name();
  facts.cpu = fast::blas::cpu_features();
  facts.picks_core_at_load = fast::blas::picks_core_at_load(fast::blas::config());
  facts.user_coretype = set_by == CoreSetBy::user;
  if (set_by == CoreSetBy::gradlab_chose) facts.chosen = variable(chosen_variable);
  const fast::blas::CoreChoice choice = fast::blas::choose_core(facts);
  if (choice.action == fast::blas::CoreChoice::Action::keep) return;
  std::cerr << name << ": " << choice.message << '\n';
  if (choice.action == fast::blas::CoreChoice::Action::warn) return;
  ::setenv(user_variable, choice.core.c_str(), 1);
  ::setenv(chosen_variable, choice.core.c_str(), 1);
  ::setenv(picked_variable, facts.core.c_str(), 1);
  const std::string failure = run_again(argv);
  std::cerr << name << ": could not run again with " << user_variable << "=" << choice.core
            << " (" << failure << "): the generic kernels stay\n";
}

nlohmann::json blas_report() {
  const std::string config = fast::blas::config();
  const std::string core = fast::blas::core_name();
  nlohmann::json j;
  j["library"] = config.empty() ? "not OpenBLAS" : "OpenBLAS";
  j["version"] = fast::blas::version_of(config);
  j["config"] = config;
  j["core"] = core;
  switch (core_set_by()) {
    case CoreSetBy::nobody: j["core_chosen_by"] = "OpenBLAS"; break;
    case CoreSetBy::user: j["core_chosen_by"] = user_variable; break;
    case CoreSetBy::gradlab_chose:
      j["core_chosen_by"] = "gradlab";
      j["core_picked_by_openblas"] = variable(picked_variable);
      break;
    case CoreSetBy::gradlab_test: j["core_chosen_by"] = std::string(test_variable) + " (forced)"; break;
  }
  j["cpu"] = fast::blas::to_string(fast::blas::cpu_features());
  j["threads"] = fast::blas::threads();
  j["thread_policy"] = fast::blas::fixed_threads() > 0 ? "fixed" : "by size";
  j["cores"] = fast::blas::available_threads();
  j["openmp"] = fast::blas::shares_openmp_threads();
  return j;
}

}  // namespace gradlab
