#include "part1.hpp"

#include "gradlab/check/checker.hpp"
#include "gradlab/ops/batchnorm.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/random.hpp"
#include "gradlab/text.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <memory>

using namespace gradlab;

namespace lab_batchnorm {

namespace {

// ---------------------------------------------------------------------------------------------
// Part 1: the staged derivation (b). The forward pass as a graph of small nodes, each one
// kept, so that backward can walk it in reverse:
//   mean = (1/B) sum_b X_b                     D
//   centered = X - mean                        D x B
//   var = (1/B) sum_b centered_b^2             D      (biased, as the batch is normalised)
//   inv_std = 1 / sqrt(var + eps)              D
//   x_hat = centered ⊙ inv_std                 D x B
//   Y = gamma ⊙ x_hat + beta                   D x B
struct StagedForward {
  arma::mat Y, centered, x_hat;
  arma::vec mean, var, inv_std;
};

StagedForward staged_forward(const arma::mat& X, const arma::vec& gamma, const arma::vec& beta,
                             double eps) {
  const double B = static_cast<double>(X.n_cols);
  StagedForward f;
  f.mean = arma::sum(X, 1) / B;
  f.centered = X.each_col() - f.mean;
  f.var = arma::sum(arma::square(f.centered), 1) / B;
  f.inv_std = 1.0 / arma::sqrt(f.var + eps);
  f.x_hat = f.centered.each_col() % f.inv_std;
  f.Y = (f.x_hat.each_col() % gamma).each_col() + beta;
  return f;
}

struct StagedGrads {
  arma::mat dX;
  arma::vec dgamma, dbeta;
};

// Backward, node by node in reverse order (dY: D x B).
StagedGrads staged_backward(const arma::mat& dY, const arma::vec& gamma, const StagedForward& f) {
  const double B = static_cast<double>(dY.n_cols);
  StagedGrads g;
  // Y = gamma ⊙ x_hat + beta: beta and gamma touch every sample (eqs. 15, 16).
  g.dbeta = arma::sum(dY, 1);
  g.dgamma = arma::sum(dY % f.x_hat, 1);
  const arma::mat dx_hat = dY.each_col() % gamma;
  // x_hat = centered ⊙ inv_std, inv_std = (var + eps)^(-1/2):
  //   dvar = sum_b dx_hat ⊙ centered ⊙ (-1/2) (var + eps)^(-3/2)
  const arma::vec dvar = -0.5 * arma::sum(dx_hat % f.centered, 1) % arma::pow(f.inv_std, 3);
  // mean reaches x_hat twice: directly through centered = X - mean, and through var, whose
  // derivative in mean is -(2/B) sum_b centered_b (zero here, but it is part of the chain):
  //   dmean = -sum_b dx_hat ⊙ inv_std + dvar ⊙ (-(2/B) sum_b centered_b)
  const arma::vec dmean = -arma::sum(dx_hat, 1) % f.inv_std + dvar % (-2.0 / B * arma::sum(f.centered, 1));
  // X reaches the output three ways: through centered (directly), var and mean:
  //   dX = dx_hat ⊙ inv_std + dvar ⊙ (2/B) centered + dmean / B
  g.dX = dx_hat.each_col() % f.inv_std;
  g.dX += (2.0 / B) * (f.centered.each_col() % dvar);
  g.dX.each_col() += dmean / B;
  return g;
}

// One case: a D x B input, a seeded gamma, beta and upstream gradient G.
struct Case {
  arma::uword D, B;
  double scale;        // X's spread
  bool judged = true;  // false: shown to teach something, not held to the tolerance
  double step = 0.0;   // the finite-difference step (0: the checker's default, 1e-5)
};

struct Agreement {
  std::string shape;
  double closed_vs_staged = 0, closed_vs_numeric = 0, staged_vs_numeric = 0;
  check::Verdict closed_check = check::Verdict::pass, staged_check = check::Verdict::pass;
  double closed_check_rel = 0, staged_check_rel = 0;
};

double max_abs(const arma::mat& a, const arma::mat& b) { return arma::abs(a - b).max(); }

Agreement compare(const Case& c, std::uint64_t seed, double tolerance) {
  Rng rng(seed);
  const double eps = ops::batchnorm_default_eps;
  arma::mat X = c.scale * random_normal(c.D, c.B, rng) + 0.5;
  arma::mat gamma = 1.0 + 0.5 * random_normal(c.D, 1, rng);
  arma::mat beta = random_normal(c.D, 1, rng);
  const arma::mat G = random_normal(c.D, c.B, rng);

  // (a) the closed form, (b) the staged derivation
  const ops::BatchNormForward fa = ops::batchnorm_forward(X, gamma, beta, eps);
  const ops::BatchNormGrads a = ops::batchnorm_backward(G, gamma, fa.cache);
  const StagedForward fb = staged_forward(X, gamma, beta, eps);
  const StagedGrads b = staged_backward(G, gamma, fb);
  // (c) central differences of the scalar <G, Y> in X, gamma and beta
  auto scalar = [&] { return arma::accu(G % ops::batchnorm_forward(X, gamma, beta, eps).Y); };
  check::Options o;
  o.seed = seed;
  o.step = c.step;
  // The checker's own criterion, at the lab's tolerance: |a - n| <= tolerance + 1e-6 |n|. (Its
  // default absolute floor, 1e-9, is below the rounding noise of <G, Y> summed over 1024
  // entries, about 1e-9 at the default step, so the 16 x 64 case would show as KINK.)
  o.tolerance = check::Tolerance{tolerance, 1e-6};
  const arma::mat nX = check::numerical_gradient(scalar, X, o);
  const arma::mat ngamma = check::numerical_gradient(scalar, gamma, o);
  const arma::mat nbeta = check::numerical_gradient(scalar, beta, o);

  Agreement r;
  // No commas: the label is a CSV cell.
  r.shape = "D " + std::to_string(c.D) + " B " + std::to_string(c.B) + " X spread " + text::number(c.scale) +
            (c.step > 0 ? " step " + text::sci(c.step, 1) : "") + (c.judged ? "" : " (not judged)");
  r.closed_vs_staged = std::max({max_abs(a.dX, b.dX), max_abs(a.dgamma, b.dgamma), max_abs(a.dbeta, b.dbeta)});
  r.closed_vs_numeric = std::max({max_abs(a.dX, nX), max_abs(a.dgamma, ngamma), max_abs(a.dbeta, nbeta)});
  r.staged_vs_numeric = std::max({max_abs(b.dX, nX), max_abs(b.dgamma, ngamma), max_abs(b.dbeta, nbeta)});

  // The checker's own verdict on each backward (its random G, every element, the contract).
  auto differentiable = [&](bool staged) {
    auto owned = std::make_shared<std::array<arma::mat, 3>>(std::array<arma::mat, 3>{X, gamma, beta});
    check::Differentiable d;
    d.owner = owned;
    d.inputs = {{"X", &(*owned)[0]}, {"gamma", &(*owned)[1]}, {"beta", &(*owned)[2]}};
    d.forward = [owned, eps] { return ops::batchnorm_forward((*owned)[0], (*owned)[1], (*owned)[2], eps).Y; };
    d.backward = [owned, eps, staged](const arma::mat& dY) -> std::vector<arma::mat> {
      const auto& [Xo, go, bo] = *owned;
      if (staged) {
        const StagedGrads s = staged_backward(dY, go, staged_forward(Xo, go, bo, eps));
        return {s.dX, s.dgamma, s.dbeta};
      }
      const ops::BatchNormGrads s = ops::batchnorm_backward(dY, go, ops::batchnorm_forward(Xo, go, bo, eps).cache);
      return {s.dX, s.dgamma, s.dbeta};
    };
    return d;
  };
  for (bool staged : {false, true}) {
    const check::CheckResult rep = check::check_vjp(differentiable(staged), o);
    double rel = 0;
    for (const auto& t : rep.tensors) rel = std::max(rel, t.max_rel_error);
    (staged ? r.staged_check : r.closed_check) = rep.verdict();
    (staged ? r.staged_check_rel : r.closed_check_rel) = rel;
  }
  return r;
}

}  // namespace

GradientAgreement compare_gradients(const lab::LabOptions& options, double tolerance) {
  // ------------------------------------------------------------- part 1: three gradients
  std::cout << "\nPart 1: batch norm's backward, (a) closed form (eq. 20, ops::batchnorm_backward), "
               "(b) staged dvar -> dmean -> dx, (c) central differences; largest |difference| over dX, dgamma, dbeta\n";
  // Well-scaled cases, judged; then one that shows the step's effect: X with a spread of 0.01
  // around 0.5, where the default step (1e-5 |x|) is a thousandth of the spread and the
  // truncation error (h^2 / 6 times the third derivative) reaches about 1e-5; a step of 1e-7
  // brings it down.
  const std::vector<Case> cases = {{3, 2, 1.0},  {5, 8, 1.0},          {16, 64, 1.0},
                                   {8, 3, 10.0}, {4, 16, 1e-2, false}, {4, 16, 1e-2, false, 1e-7}};
  text::Table gt({"case", "|a - b|", "|a - c|", "|b - c|", "check_vjp (a)", "check_vjp (b)", "agree"});
  output::Csv gcsv({"case", "label", "closed_vs_staged", "closed_vs_numeric", "staged_vs_numeric",
                    "closed_check", "staged_check", "judged"});
  GradientAgreement g;
  g.cases = nlohmann::json::array();
  bool& agree_all = g.agree_all;
  double &worst_ab = g.worst_ab, &worst_ac = g.worst_ac, &worst_bc = g.worst_bc;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    // The two step-size cases share one seed: the same X, gamma, beta and G.
    const Agreement r = compare(c, options.seed + (c.judged ? i : cases.size()), tolerance);
    const bool agree = r.closed_vs_staged <= tolerance && r.closed_vs_numeric <= tolerance &&
                       r.staged_vs_numeric <= tolerance && r.closed_check != check::Verdict::fail &&
                       r.staged_check != check::Verdict::fail;
    if (c.judged) {
      agree_all &= agree;
      worst_ab = std::max(worst_ab, r.closed_vs_staged);
      worst_ac = std::max(worst_ac, r.closed_vs_numeric);
      worst_bc = std::max(worst_bc, r.staged_vs_numeric);
    }
    gt.add_row({r.shape, text::sci(r.closed_vs_staged), text::sci(r.closed_vs_numeric),
                text::sci(r.staged_vs_numeric), check::to_string(r.closed_check),
                check::to_string(r.staged_check), agree ? "yes" : (c.judged ? "NO" : "no (shown)")});
    gcsv.add_row({std::to_string(i + 1), r.shape, text::number(r.closed_vs_staged),
                  text::number(r.closed_vs_numeric), text::number(r.staged_vs_numeric),
                  check::to_string(r.closed_check), check::to_string(r.staged_check), c.judged ? "1" : "0"});
    g.cases.push_back({{"case", r.shape}, {"closed_vs_staged", r.closed_vs_staged},
                     {"closed_vs_numeric", r.closed_vs_numeric}, {"staged_vs_numeric", r.staged_vs_numeric},
                     {"closed_check", check::to_string(r.closed_check)},
                     {"staged_check", check::to_string(r.staged_check)}, {"agree", agree}, {"judged", c.judged}});
  }
  gt.print(std::cout);
  std::cout << (agree_all ? "the three gradients agree to " : "DISAGREEMENT: the gradients differ by more than ")
            << text::sci(tolerance, 1) << " in every judged case\n"
            << "(not judged: X with a spread of 0.01 around 0.5, where the default step 1e-5 |x| is a thousandth\n"
            << " of the spread: the finite differences are off by their truncation error, not the backward pass)\n";
  gcsv.write(options.out / "gradients.csv");
  {
    output::Figure f;
    f.name = "gradients";
    f.title = "Batch norm backward: largest |difference| between the three gradients, per case";
    f.xlabel = "case: D features x B samples, s = spread of X, h = step if not 1e-5 (*: shown, not judged)";
    f.ylabel = "max |difference| over dX, dgamma, dbeta";
    f.logy = true;
    // Two-line tic labels (gnuplot reads \n inside double quotes): "16x64" over "s 1".
    std::string tics = "set xtics (";
    for (std::size_t i = 0; i < cases.size(); ++i)
      tics += std::string(i ? ", " : "") + "\"" + std::to_string(cases[i].D) + "x" + std::to_string(cases[i].B) +
              (cases[i].judged ? "" : "*") + "\\ns " + text::number(cases[i].scale) +
              (cases[i].step > 0 ? "\\nh " + text::sci(cases[i].step, 0) : "") + "\" " + std::to_string(i + 1);
    f.commands = {"set bmargin 6", "set xlabel offset 0,-1.5", tics + ")", "set xrange [0.5:" + std::to_string(cases.size()) + ".5]",
                  "set yrange [1e-18:1e-3]"};
    // A zero difference has no logarithm: plot it at 1e-17 (the floor of the axis).
    auto floored = [](const std::string& c) { return "(column('" + c + "') > 1e-17 ? column('" + c + "') : 1e-17)"; };
    // The two comparisons with finite differences nearly coincide: a hollow square around a
    // small filled triangle keeps both visible.
    f.series = {{"gradients.csv", "case", floored("closed_vs_staged"), "closed form vs staged", "points", "pt 7 ps 1.5 lc rgb '#1f77b4'", ""},
                {"gradients.csv", "case", floored("closed_vs_numeric"), "closed form vs finite differences", "points", "pt 4 ps 2.2 lw 2 lc rgb '#d62728'", ""},
                {"gradients.csv", "case", floored("staged_vs_numeric"), "staged vs finite differences", "points", "pt 9 ps 1.0 lc rgb '#2ca02c'", ""},
                {"gradients.csv", "case", "(" + text::number(tolerance) + ")", "tolerance " + text::sci(tolerance, 1), "lines", "dt 2 lw 2 lc rgb '#444444'", ""}};
    lab::render_or_warn(f, options.out);
  }

  return g;
}

lab::Comparison comparison_with_gradients(const GradientAgreement& g, bool on_cifar, double tolerance) {
  lab::Comparison table(std::string("Report 003: batch norm backward and an MLP with and without batch norm, on ") +
                        (on_cifar ? "CIFAR-10" : "MNIST (the report's accuracies are for CIFAR-10)") +
                        ": report vs gradlab");
  table.add("batch norm dX: closed form (eq. 20) vs staged derivation (eqs. 17-19)", "equal (derived)",
            "max |diff| " + text::sci(g.worst_ab), g.agree_all ? "" : "DISAGREE");
  table.add("batch norm: closed form vs finite differences", "checked against autograd",
            "max |diff| " + text::sci(g.worst_ac), "central differences; tolerance " + text::sci(tolerance, 1));
  table.add("batch norm: staged vs finite differences", "-", "max |diff| " + text::sci(g.worst_bc));
  return table;
}

}  // namespace lab_batchnorm
