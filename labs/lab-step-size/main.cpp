// lab-step-size: the error of a numerical derivative against its step h, from 1e-1 down to
// 1e-14, for four schemes (forward, central, 5-point, complex step), four functions (tanh,
// sigmoid, softmax cross-entropy, batch norm), in double and in float. Then the Taylor test,
// which needs no step at all. Study: docs/studies/step-size.md.
//
// Each function is a scalar function f of one number x (every other input held fixed), written
// once as a template over the number type, so that the very same formula runs in float, double,
// std::complex<float> and std::complex<double>. The exact derivative comes from the closed form
// (long double, or gradlab::ops for batch norm) at the same inputs, rounded to the precision
// under test first, so that only the difference quotient is measured.
//
//   functions.hpp/.cpp  the four functions and their exact derivatives
//   schemes.hpp/.cpp    the four schemes; one experiment: error, best step, fitted slope
//   taylor.hpp/.cpp     the Taylor test's layers, right and wrong
//   figures.hpp/.cpp    the error and Taylor figures and their data
//   report.hpp/.cpp     table-best-steps.csv and table-taylor.csv
//
// Writes out/lab-step-size/: error-<function>-<precision>.csv and figure (PNG + SVG + .gp),
// taylor.csv and its figure, table-best-steps.csv, table-taylor.csv, summary.json.
// Exit status 1 when a fitted slope leaves its band: 1, 2, 4, 2 (forward, central, 5-point,
// complex step, in double) within 0.2; Taylor slopes 2 (right gradient) and 1 (wrong) within 0.2.
#include "figures.hpp"
#include "report.hpp"

#include "gradlab/programs/lab.hpp"

#include <cmath>
#include <iostream>

using namespace gradlab;
using namespace lab_step_size;

namespace {

// The functions and the points where their derivatives are taken.
std::vector<Problem> problems() {
  std::vector<Problem> list;
  list.push_back({Kind::tanh, "tanh", "tanh(x) at x = 0.4", 0.4, {}, {}});
  list.push_back({Kind::sigmoid, "sigmoid", "sigmoid(x) at x = -1.1", -1.1, {}, {}});
  Problem ce{Kind::softmax_ce, "softmax-ce", "softmax cross-entropy, dL/dz_1 (5 logits, label 3)", 0.3,
             {0.5, 0.3, -1.2, 1.1, 0.2}, {}};
  ce.index = 1;
  ce.label = 3;
  list.push_back(ce);
  Problem bn{Kind::batchnorm, "batchnorm", "batch norm, d<G, Y>/dx_2 (one row of 5 samples)", 0.9,
             {0.3, -1.4, 0.9, 2.1, -0.5}, {0.7, -1.2, 0.4, 1.5, -0.3}};
  bn.index = 2;
  bn.gamma = 1.3;
  bn.beta = 0.2;
  list.push_back(bn);
  return list;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The error of a numerical derivative against its step, four schemes, float and double; "
               "and the Taylor test.", "lab-step-size"};
  lab::LabOptions options;
  options.name = "lab-step-size";
  lab::add_options(app, options);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    std::cout << "lab-step-size: " << (options.full ? "full" : "quick") << " mode, results in "
              << options.out.string() << '\n';
    // Steps from 1e-1 down to 1e-14: 4 per decade (quick) or 10 per decade (full).
    const int per_decade = options.full ? 10 : 4;
    std::vector<double> steps;
    for (int k = 0; k <= 13 * per_decade; ++k) steps.push_back(std::pow(10.0, -1.0 - double(k) / per_decade));

    // Every function, in double and in float, under every scheme.
    bool all_ok = true;
    BestStepTable best;
    for (const Problem& p : problems()) {
      for (bool in_float : {false, true}) {
        const Experiment e = run_experiment(p, in_float, steps, per_decade);
        write_experiment(e, steps, options.out);
        for (const Curve& c : e.curves) all_ok &= c.slope_ok;
        best.add(e);
      }
    }
    best.write(options.out);

    // The Taylor test: remainder against h for right and wrong backward passes.
    std::vector<TaylorCase> cases;
    cases.push_back({"tanh_right", "tanh, right backward", tanh_layer(true, options.seed), true});
    cases.push_back({"tanh_wrong", "tanh, wrong backward (1 - Y)", tanh_layer(false, options.seed), false});
    cases.push_back({"batchnorm_right", "batch norm, right backward", batchnorm_layer(true, options.seed), true});
    cases.push_back({"batchnorm_wrong", "batch norm, dX without mean terms", batchnorm_layer(false, options.seed), false});
    check::TaylorOptions to;
    to.seed = options.seed;
    to.h_min = 1e-8;
    to.points_per_decade = options.full ? 4 : 2;
    to.fit_points = options.full ? 9 : 5;
    std::vector<check::TaylorResult> reports;
    std::vector<bool> ok;
    for (const TaylorCase& c : cases) {
      const check::TaylorResult r = check::taylor_test(c.fn, to);
      // Slope 2 and a pass for a right backward, slope 1 and a fail for a wrong one, within 0.2.
      const double expected = c.right ? 2.0 : 1.0;
      ok.push_back(std::isfinite(r.slope) && std::abs(r.slope - expected) <= 0.2 &&
                   (r.verdict == check::Verdict::pass) == c.right);
      all_ok &= ok.back();
      reports.push_back(r);
    }
    write_taylor_figure(cases, reports, options.out);
    const nlohmann::json taylor_json = write_taylor_table(cases, reports, ok, options.out);

    lab::write_summary(options, {{"steps_per_decade", per_decade}, {"experiments", best.json()},
                                 {"taylor", taylor_json}, {"all_slopes_in_band", all_ok}});
    std::cout << (all_ok ? "\nevery fitted slope is within 0.2 of its theory\n"
                         : "\nsome fitted slope is outside its band (see FAIL above)\n");
    return all_ok ? 0 : 1;
  });
}
