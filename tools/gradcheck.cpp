// gradcheck: every derivative in gradlab::ops against finite differences, one row per tensor.
// Exit status: 0 when every check passes (kinks that hold the subgradient bracket included),
// 1 when any fails, 2 on bad usage.
#include "gradlab/check/op_cases.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/report/table.hpp"
#include "gradlab/cli.hpp"
#include "gradlab/report/files.hpp"

#include <cstdlib>
#include <iostream>

using namespace gradlab;

int main(int argc, char** argv) {
  CLI::App app{"Check every derivative in gradlab::ops against finite differences.", "gradcheck"};
  std::vector<std::string> ops;
  std::uint64_t seed = 1;
  double step = 0.0;
  std::string scheme = "central";
  arma::uword batch = 0;
  std::string json_path;
  bool list = false;
  app.add_option("--op", ops, "an op to check (repeatable; default: all)")
      ->check(CLI::IsMember(check::op_names()));
  app.add_option("--seed", seed, "seed of the inputs and the upstream gradients");
  app.add_option("--step", step, "relative step h / max(1, |x|) (default: 1e-5 central, 1e-8 forward)")
      ->check(CLI::Validator(
          [](std::string& text) {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            const bool number = end != text.c_str() && *end == '\0';
            return number && value > 0.0 && value < 0.5 ? std::string()
                                                        : "step " + text + " is not in (0, 0.5)";
          },
          "STEP in (0, 0.5)"));
  app.add_option("--scheme", scheme, "finite-difference scheme")
      ->check(CLI::IsMember({"central", "forward"}));
  app.add_option("--batch", batch, "one case at this batch size instead of the standard shapes")
      ->check(CLI::Range(arma::uword{1}, arma::uword{100000}));
  app.add_option("--json", json_path, "also write the report as JSON to this file");
  app.add_flag("--list", list, "list the ops and exit");

  return run_main(app, argc, argv, [&] {
    if (list) {
      for (const auto& name : check::op_names()) std::cout << name << '\n';
      return 0;
    }
    if (ops.empty()) ops = check::op_names();
    check::Options options;
    options.scheme = scheme == "forward" ? check::Scheme::forward : check::Scheme::central;
    options.step = step;
    options.seed = seed;

    std::vector<check::CheckReport> reports;
    for (const std::string& op : ops) {
      for (check::OpCase& c : check::op_cases(op, batch, seed)) {
        const std::string label = c.op + " [" + c.kind + "]";
        check::CheckReport vjp = check::check_vjp(c.fn, options);
        vjp.label = label;
        vjp.shape = c.shape;
        reports.push_back(std::move(vjp));
        if (c.small) {
          check::CheckReport jacobian = check::check_jacobian(c.fn, options);
          jacobian.label = label;
          jacobian.shape = c.shape;
          reports.push_back(std::move(jacobian));
        }
      }
    }
    check::print_table(std::cout, reports);

    std::size_t failed = 0, tensors = 0;
    double worst_rel = 0.0;
    for (const auto& r : reports) {
      failed += r.verdict() == check::Verdict::fail;
      for (const auto& t : r.tensors) {
        ++tensors;
        worst_rel = std::max(worst_rel, t.max_rel_error);
      }
    }
    std::cout << '\n'
              << reports.size() << " checks, " << tensors << " tensors, scheme "
              << check::to_string(options.scheme) << ", step " << options.effective_step()
              << ", tolerance |a - n| <= " << options.effective_tolerance().atol << " + "
              << options.effective_tolerance().rtol << " |n|; largest relative error "
              << report::sci(worst_rel) << "\n"
              << (failed == 0 ? "all checks pass" : std::to_string(failed) + " checks FAIL") << '\n';

    if (!json_path.empty()) {
      nlohmann::json j;
      j["scheme"] = check::to_string(options.scheme);
      j["step"] = options.effective_step();
      j["seed"] = seed;
      j["tolerance"] = {{"atol", options.effective_tolerance().atol},
                          {"rtol", options.effective_tolerance().rtol}};
      j["checks"] = nlohmann::json::array();
      for (const auto& r : reports) j["checks"].push_back(check::to_json(r));
      report::write_file_atomically(json_path, j.dump(2) + "\n");
      std::cout << "report written to " << json_path << '\n';
    }
    return failed == 0 ? 0 : 1;
  });
}
