#pragma once
// The shared main() of every gradlab program: parse the options with CLI11, run, and turn errors
// into one clear line and an exit code: 2 for bad usage (unknown option or name, a bad value, a
// value the library rejects with std::invalid_argument, such as an --arch that does not fit the
// data), 1 for failures while running (a file that cannot be read or written, a failed check).
// Before anything else it makes sure the BLAS does not run generic kernels (programs/blas.hpp).
#include "gradlab/programs/blas.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <stdexcept>

namespace gradlab {

inline int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  use_fast_blas_kernels(argv);
  const std::string name = app.get_name();
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
