// What the checker finds in a gallery network: the bisection, the error entry by entry, and the
// kill matrix's settings (see checks.hpp).
#include "checks.hpp"

#include "gradlab/check/taylor.hpp"
#include "gradlab/random.hpp"

#include <algorithm>

using namespace gradlab;

namespace lab_bug_gallery {

namespace {

// The diagnosis of the first failing tensor of r, or of its broken contract.
Finding first_failure(const check::CheckResult& r, const std::string& place) {
  for (const check::TensorResult& t : r.tensors)
    if (t.verdict() == check::Verdict::fail) return {place + ": " + t.name, t.diagnosis};
  Finding f{place, {}};
  if (!r.contract.holds()) {
    f.diagnosis.pattern = check::Pattern::contract;
    f.diagnosis.summary = std::string("contract: ") + r.contract.problem;
  }
  return f;
}

}  // namespace

Finding find_bug(const BugInfo& info, const data::Dataset& batch, std::uint64_t seed,
                 const check::CheckResult& network) {
  if (network.verdict() != check::Verdict::fail) return {};
  check::Options o;
  o.seed = seed;
  for (const auto& [name, fn] : stages(info, batch, seed)) {
    const check::CheckResult r = check::check_vjp(fn, o);
    if (r.verdict() == check::Verdict::fail) return first_failure(r, name);
  }
  return first_failure(network, "network");
}

ErrorMap locate_error(const BugInfo& info, const data::Dataset& batch, std::uint64_t seed, bool second_call,
                      const check::Options& o) {
  check::Differentiable fn = differentiable(info, batch, seed);
  Rng g_rng(seed);
  const arma::mat G = random_normal(1, 1, g_rng);
  Mats analytic = fn.backward(G);
  if (second_call) analytic = fn.backward(G);
  ErrorMap map;
  map.second_call = second_call;
  map.error = -1.0;
  std::size_t worst = 0;
  const check::Tolerance tol = o.effective_tolerance();
  for (std::size_t t = 0; t < fn.inputs.size(); ++t) {
    arma::mat& x = *fn.inputs[t].second;
    const arma::mat numeric =
        check::numerical_gradient([&fn, &G] { return G(0, 0) * fn.forward()(0, 0); }, x, o);
    const arma::mat diff = arma::abs(analytic[t] - numeric);
    const double error = diff.max() / std::max(1e-3, arma::abs(numeric).max());
    if (error > map.error) {
      map.error = error;
      worst = t;
      map.diff = diff;
      map.rel.set_size(arma::size(diff));
      for (arma::uword k = 0; k < diff.n_elem; ++k) map.rel(k) = tol.relative_error(analytic[t](k), numeric(k));
    }
  }
  map.tensor = "d" + fn.inputs[worst].first;
  const arma::uword worst_index = map.diff.index_max();
  map.at = "(" + std::to_string(worst_index % map.diff.n_rows) + "," + std::to_string(worst_index / map.diff.n_rows) +
           ")";
  return map;
}

bool caught_by(const Setting& s, const BugInfo& info, const data::Dataset& batch, std::uint64_t seed) {
  check::Differentiable fn = differentiable(info, batch, seed);
  if (s.in_float) fn = in_float(fn);
  if (s.kind == Setting::taylor) {
    check::TaylorOptions o;
    o.seed = seed;
    return check::taylor_test(fn, o).verdict == check::Verdict::fail;
  }
  check::Options o;
  o.scheme = s.scheme;
  o.step = s.step;
  o.seed = seed;
  // A float check needs a float tolerance: 1e-2 relative, 1e-4 absolute (the loosest in use).
  if (s.in_float) o.tolerance = check::Tolerance{1e-4, 1e-2};
  const check::CheckResult r = s.kind == Setting::directional ? check::check_directional(fn, 4, o) : check::check_vjp(fn, o);
  return r.verdict() == check::Verdict::fail;
}

}  // namespace lab_bug_gallery
