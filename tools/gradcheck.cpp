// gradcheck: every derivative in gradlab::ops against finite differences, one row per tensor.
// Exit status: 0 when every check passes (kinks that hold the subgradient bracket included),
// 1 when any fails, 3 when none fails but some are INCONCLUSIVE (their disagreement lies within
// the numeric error: docs/checker.md), 2 on bad usage.
// --witness autograd|both: also the autograd tape against the hand-derived backward (autograd
// alone skips the finite differences), one row per op; a relative difference above 1e-8 fails.
// --taylor: also the Taylor test of every case (check/taylor.hpp), its fitted slope with PASS/FAIL.
// --network 4-8-8-3: a whole network instead (make_mlp: --activation, --batchnorm), checked
// exhaustively with softmax cross-entropy on a seeded batch (nn::check_network); when it fails,
// it is bisected to the first layer whose own check fails (nn::bisect_network), with that
// tensor's diagnosis. --plant KIND:LAYER plants a known bug in one layer's backward pass
// (sign: dX negated; scale: dX doubled; state: half the previous call's dX added) to see the
// checker find it.
#include "gradlab/autograd/witness.hpp"
#include "gradlab/check/op_cases.hpp"
#include "gradlab/check/taylor.hpp"
#include "gradlab/check/print.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/nn/network_check.hpp"
#include "gradlab/random.hpp"
#include "gradlab/text.hpp"
#include "gradlab/programs/cli.hpp"
#include "gradlab/programs/sizes.hpp"
#include "gradlab/io/files.hpp"

#include <cstdlib>
#include <iostream>

using namespace gradlab;

namespace {

// Manual and autograd gradients may differ only by rounding.
constexpr double witness_tolerance = 1e-8;

// One row per op: the largest relative difference between the tape gradient and the manual
// backward over its cases and inputs. Returns the number of ops above the tolerance.
std::size_t print_witness(const std::vector<std::string>& ops, arma::uword batch,
                          std::uint64_t seed) {
  text::Table table({"op", "cases", "tensors", "max rel diff", "worst", "verdict"});
  std::size_t failed = 0;
  for (const std::string& op : ops) {
    std::size_t cases = 0, tensors = 0;
    double worst = 0.0;
    std::string where;
    for (const check::OpCase& c : check::op_cases(op, batch, seed)) {
      const autograd::WitnessCase w = autograd::witness(c, seed);
      ++cases;
      for (std::size_t i = 0; i < w.tensors.size(); ++i, ++tensors)
        if (w.relative_difference[i] >= worst) {
          worst = w.relative_difference[i];
          where = c.op + " [" + c.kind + "] d" + w.tensors[i];
        }
    }
    const bool pass = worst <= witness_tolerance;
    failed += !pass;
    table.add_row({op, std::to_string(cases), std::to_string(tensors), text::sci(worst), where,
                   pass ? "PASS" : "FAIL"});
  }
  std::cout << "\nautograd witness: tape gradient vs manual backward, same inputs and upstream "
               "gradient\n";
  table.print(std::cout);
  std::cout << (failed == 0 ? "autograd and manual agree within " + text::sci(witness_tolerance)
                            : std::to_string(failed) + " ops differ by more than " +
                                  text::sci(witness_tolerance))
            << '\n';
  return failed;
}

// The Taylor test of every case: the fitted slope of the first-order remainder (2 for a right
// gradient, 1 for a wrong one; "linear" when the remainder is rounding only). Returns the
// number of cases that FAIL.
std::size_t print_taylor(const std::vector<std::string>& ops, arma::uword batch, std::uint64_t seed) {
  text::Table table({"case", "slope", "points fitted", "verdict", "note"});
  std::size_t failed = 0, cases = 0;
  check::TaylorOptions options;
  options.seed = seed;
  for (const std::string& op : ops) {
    for (check::OpCase& c : check::op_cases(op, batch, seed)) {
      const check::TaylorResult r = check::taylor_test(c.fn, options);
      failed += r.verdict == check::Verdict::fail;
      ++cases;
      table.add_row({c.op + " [" + c.kind + "]", r.linear ? "linear" : text::fixed(r.slope, 2),
                     std::to_string(r.fitted), check::to_string(r.verdict), r.note});
    }
  }
  std::cout << "\nTaylor test: slope of |phi(x + h v) - phi(x) - h <g, v>| against h (2: right, 1: wrong)\n";
  table.print(std::cout);
  std::cout << cases << " cases; " << (failed == 0 ? "all pass" : std::to_string(failed) + " FAIL") << '\n';
  return failed;
}

// A layer with a known bug planted in its backward pass (--plant): the checks must find it.
class Planted : public nn::Layer {
 public:
  explicit Planted(std::string kind) : kind_(std::move(kind)) {}
  std::unique_ptr<nn::Layer> inner;
  arma::mat forward(const arma::mat& X) override { return inner->forward(X); }
  arma::mat backward(const arma::mat& dY) override {
    arma::mat dX = inner->backward(dY);
    if (kind_ == "sign") return -dX;
    if (kind_ == "scale") return 2.0 * dX;
    arma::mat out = arma::size(previous_) == arma::size(dX) ? arma::mat(dX + 0.5 * previous_) : dX;
    previous_ = dX;  // "state": the previous call leaks into this one
    return out;
  }
  std::vector<Parameter> parameters() override { return inner->parameters(); }
  std::vector<Parameter> state() override { return inner->state(); }
  void set_mode(nn::Mode mode) override {
    nn::Layer::set_mode(mode);
    if (inner) inner->set_mode(mode);
  }
  std::string name() const override { return inner->name() + " with a planted " + kind_ + " bug"; }

 private:
  std::string kind_;
  arma::mat previous_;
};

// --network: the network check, then the bisection when it fails. Returns the exit status.
int check_network(const std::string& arch, const std::string& activation, bool batchnorm,
                  const std::string& plant, arma::uword batch, const check::Options& options,
                  std::uint64_t seed, const std::string& json_path) {
  const std::vector<arma::uword> sizes = parse_sizes(arch, "--network");
  Rng rng(seed);
  nn::Sequential net = nn::make_mlp(sizes, activation, batchnorm, 0.0, "glorot_uniform", rng);
  if (!plant.empty()) {
    const std::size_t colon = plant.find(':');
    const std::string kind = plant.substr(0, colon);
    const std::string where = colon == std::string::npos ? "" : plant.substr(colon + 1);
    if ((kind != "sign" && kind != "scale" && kind != "state") || where.empty() ||
        where.find_first_not_of("0123456789") != std::string::npos || std::stoul(where) >= net.size())
      throw std::invalid_argument("--plant " + plant + ": KIND:LAYER with KIND sign, scale or state and LAYER 0 to " +
                                  std::to_string(net.size() - 1) + " (the network's layers: " +
                                  std::to_string(net.size()) + ")");
    auto planted = std::make_unique<Planted>(kind);
    Planted& p = *planted;
    p.inner = net.replace(std::stoul(where), std::move(planted));
  }
  const arma::uword B = batch > 0 ? batch : 6;
  const arma::mat X = random_normal(sizes.front(), B, rng);
  arma::uvec labels(B);
  for (arma::uword b = 0; b < B; ++b) labels(b) = static_cast<arma::uword>(uniform01(rng) * sizes.back());
  nn::CrossEntropyLoss loss;
  std::cout << net.describe() << "loss: " << loss.name() << ", batch " << B << ", seed " << seed << "\n\n";
  check::CheckResult r = nn::check_network(net, loss, X, labels, options);
  r.label = "network " + arch;
  r.shape = "X " + std::to_string(sizes.front()) + "x" + std::to_string(B);
  check::print_table(std::cout, {r});
  nlohmann::json j = {{"network", arch}, {"seed", seed}, {"blas", blas_report()}, {"check", check::to_json(r)}};
  const bool failed = r.verdict() == check::Verdict::fail;
  if (failed) {
    const nn::Bisection b = nn::bisect_network(net, loss, X, labels, options);
    std::cout << "\nbisection: " << b.summary() << "\n";
    j["bisection"] = {{"found", b.found}, {"layer", b.layer}, {"name", b.name}, {"tensor", b.tensor},
                      {"diagnosis", check::to_json(b.diagnosis)}, {"summary", b.summary()}};
  }
  if (!json_path.empty()) {
    try {
      io::write_file_atomically(json_path, j.dump(2) + "\n");
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("--json " + json_path + ": " + e.what());
    }
  }
  std::cout << (failed ? "the network check FAILs" : "the network check passes") << "\n";
  return failed ? 1 : r.verdict() == check::Verdict::inconclusive ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Check every derivative in gradlab::ops against finite differences.", "gradcheck"};
  std::vector<std::string> ops;
  std::uint64_t seed = 1;
  double step = 0.0;
  std::string scheme = "central";
  arma::uword batch = 0;
  std::string json_path;
  bool list = false;
  std::string witness = "manual";
  bool taylor = false;
  std::string network, activation = "tanh", plant;
  bool batchnorm = false;
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
  app.add_option("--witness", witness,
                 "manual: finite differences against the hand-derived backward; autograd: the "
                 "autograd tape against it; both")
      ->check(CLI::IsMember({"manual", "autograd", "both"}));
  app.add_flag("--taylor", taylor, "also run the Taylor test of every case: fitted slope, PASS/FAIL");
  app.add_option("--network", network,
                 "check a whole network instead, e.g. 4-8-8-3 (softmax cross-entropy), and "
                 "bisect it to the first failing layer when it fails");
  app.add_option("--activation", activation, "the network's activation (with --network)")
      ->check(CLI::IsMember({"relu", "leaky_relu", "tanh", "sigmoid"}));
  app.add_flag("--batchnorm", batchnorm, "BatchNorm after each hidden Linear (with --network)");
  app.add_option("--plant", plant,
                 "KIND:LAYER, a known bug in one layer's backward (sign, scale or state; with --network)");

  return run_main(app, argc, argv, [&] {
    if (list) {
      for (const auto& name : check::op_names()) std::cout << name << '\n';
      return 0;
    }
    if (network.empty() && (!plant.empty() || batchnorm))
      throw std::invalid_argument("--plant and --batchnorm need --network");
    check::Options options;
    options.scheme = scheme == "forward" ? check::Scheme::forward : check::Scheme::central;
    options.step = step;
    options.seed = seed;
    if (!network.empty()) {
      if (!ops.empty() || witness != "manual" || taylor)
        throw std::invalid_argument("--network checks a network: --op, --witness and --taylor check the ops");
      return check_network(network, activation, batchnorm, plant, batch, options, seed, json_path);
    }
    if (ops.empty()) ops = check::op_names();
    if (witness == "autograd") {
      if (!json_path.empty())
        throw std::invalid_argument("--json writes the finite-difference report: use --witness both");
      return print_witness(ops, batch, seed) == 0 ? 0 : 1;
    }

    std::vector<check::CheckResult> reports;
    for (const std::string& op : ops) {
      for (check::OpCase& c : check::op_cases(op, batch, seed)) {
        const std::string label = c.op + " [" + c.kind + "]";
        check::CheckResult vjp = check::check_vjp(c.fn, options);
        vjp.label = label;
        vjp.shape = c.shape;
        reports.push_back(std::move(vjp));
        if (c.small) {
          check::CheckResult jacobian = check::check_jacobian(c.fn, options);
          jacobian.label = label;
          jacobian.shape = c.shape;
          reports.push_back(std::move(jacobian));
        }
      }
    }
    check::print_table(std::cout, reports);

    std::size_t failed = 0, inconclusive = 0, tensors = 0;
    double worst_rel = 0.0;
    for (const auto& r : reports) {
      failed += r.verdict() == check::Verdict::fail;
      inconclusive += r.verdict() == check::Verdict::inconclusive;
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
              << text::sci(worst_rel) << "\n"
              << (failed + inconclusive == 0 ? "all checks pass"
                  : failed > 0          ? std::to_string(failed) + " checks FAIL"
                                        : "no check fails")
              << (inconclusive > 0 ? ", " + std::to_string(inconclusive) + " INCONCLUSIVE" : "") << '\n';

    if (!json_path.empty()) {
      nlohmann::json j;
      j["scheme"] = check::to_string(options.scheme);
      j["step"] = options.effective_step();
      j["seed"] = seed;
      j["blas"] = blas_report();
      j["tolerance"] = {{"atol", options.effective_tolerance().atol},
                          {"rtol", options.effective_tolerance().rtol}};
      j["failed_checks"] = failed;
      j["inconclusive_checks"] = inconclusive;
      j["checks"] = nlohmann::json::array();
      for (const auto& r : reports) j["checks"].push_back(check::to_json(r));
      try {
        io::write_file_atomically(json_path, j.dump(2) + "\n");
      } catch (const std::runtime_error& e) {
        throw std::runtime_error("--json " + json_path + ": " + e.what());  // name the option and file
      }
      std::cout << "report written to " << json_path << '\n';
    }
    const std::size_t witness_failed = witness == "both" ? print_witness(ops, batch, seed) : 0;
    const std::size_t taylor_failed = taylor ? print_taylor(ops, batch, seed) : 0;
    if (failed > 0 || witness_failed > 0 || taylor_failed > 0) return 1;
    return inconclusive > 0 ? 3 : 0;
  });
}
