#pragma once
// The shared main() of every gradlab program: parse the options with CLI11, run, and turn errors
// into one clear line and an exit code: 2 for bad usage (unknown option or name, bad value),
// 1 for failures while running (a file that cannot be read, a check that failed).
#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <stdexcept>

namespace gradlab {

// Thrown by a program body for a usage error it finds after parsing (exit 2).
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

inline int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
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
  } catch (const UsageError& e) {
    std::cerr << name << ": " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << '\n';
    return 1;
  }
}

}  // namespace gradlab
