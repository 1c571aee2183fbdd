#pragma once
// The shared main() of every gradlab program: parse the options with CLI11, run, and turn errors
// into one clear line and an exit code: 2 for bad usage (unknown option or name, a bad value, a
// value the library rejects with std::invalid_argument, such as an --arch that does not fit the
// data), 1 for failures while running (a file that cannot be read or written, a failed check).
// Every program answers --version ("NAME (gradlab VERSION)"), and its --help shows each option's
// default: the value its variable holds when run_main is called. Not shown: an empty list, and a
// value the option's own checks refuse (a sentinel for "not given", such as gradcheck's --step 0
// for the scheme's own step), whose meaning the option's description gives.
// Before anything else it makes sure the BLAS does not run generic kernels (programs/blas.hpp).
#include "gradlab/programs/blas.hpp"
#include "gradlab/version.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <stdexcept>

namespace gradlab {

// The option's default as --help shows it: its variable's value, unless that is an empty list or
// a value the option's checks refuse.
inline void show_default(CLI::Option& option) {
  if (!option.get_default_str().empty()) return;  // set by the program itself
  option.capture_default_str();
  const std::string value = option.get_default_str();
  bool shown = value != "[]";
  for (int i = 0; shown; ++i) {
    CLI::Validator* check = nullptr;
    try {
      check = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {  // CLI11 says "no more checks" this way alone
      break;
    }
    std::string copy = value;
    shown = (*check)(copy).empty();
  }
  if (!shown) option.default_str("");
}

inline int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  use_fast_blas_kernels(argv);
  const std::string name = app.get_name();
  app.set_version_flag("--version", name + " (gradlab " + version + ")");
  for (CLI::Option* option : app.get_options()) show_default(*option);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << name << ": " << e.what() << " (see " << name << " --help)\n";
    return 2;
  }
  try {
    return body();
  } catch (const std::invalid_argument& e) {
    std::cerr << name << ": " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << '\n';
    return 1;
  }
}

}  // namespace gradlab
