// lab-bug-gallery: realistic backpropagation bugs, each a small wrong variant of a real
// backward pass, kept in this folder (never in lib/). For each bug: the checker's verdict, the
// largest relative error, its diagnosis at the first stage that fails on its own (bisection),
// where the error sits (a heatmap of the per-entry relative error over the worst tensor, every
// heatmap on one colour scale), whether a training run would have hidden it, and which checker
// settings catch it (the kill matrix). Study: docs/studies/bug-gallery.md.
//
// The network is small and written out in net.cpp so that every bug has a place to live:
//   X (2 x B) -> Linear 16 -> [BatchNorm] -> act -> [Dropout] -> Linear 16x16 -> act
//             -> Linear 2 -> softmax cross-entropy (mean over the batch)
// The forward pass is always right; `Bug` switches one line of the backward pass (or of what
// the backward pass writes into). The checker sees the whole network as one Differentiable: the
// inputs are the batch X and every parameter, the output the scalar loss.
//   net.hpp/.cpp      the network, its bugs, its stages, training
//   checks.hpp/.cpp   bisection, where the error sits, the kill matrix's checks
//   figures.hpp/.cpp  the heatmaps and the kill matrix's figure
//   report.hpp/.cpp   table-bugs.csv and the kill matrix's tables
//
// Writes out/lab-bug-gallery/: table-bugs.csv, kill-matrix.csv and figure, heatmap-<bug>
// figures, training-<bug>.csv, summary.json. Exit status 1 when the default check (check_vjp,
// central differences, default step and tolerance) misses any bug, fails a network without a
// bug, or diagnoses a bug as another class than BugInfo::expected: "every bug caught" is a
// test (checks/CMakeLists.txt).
#include "figures.hpp"
#include "report.hpp"

#include "gradlab/data/synthetic.hpp"
#include "gradlab/programs/lab.hpp"
#include "gradlab/random.hpp"
#include "gradlab/text.hpp"

#include <iostream>
#include <map>

using namespace gradlab;
using namespace lab_bug_gallery;

namespace {

// The gallery's bugs, each with the diagnosis that names it and the network it lives in.
std::vector<BugInfo> bugs() {
  using P = check::Pattern;
  return {
      {Bug::missing_transpose, "missing-transpose", "missing transpose: dX = W dY", P::transpose},
      {Bug::batch_mean_twice, "batch-mean-twice", "1/B applied twice in the loss backward", P::scale},
      {Bug::batch_mean_never, "batch-mean-never", "1/B never applied in the loss backward", P::scale},
      {Bug::bias_not_summed, "bias-not-summed", "bias gradient not summed over the batch", P::reduction},
      // The derivative read off the wrong tensor, 1 - Z^2 for 1 - tanh(Z)^2, follows none of
      // the patterns: the bisection still names the layer.
      {Bug::tanh_from_preactivation, "tanh-preactivation", "tanh' from the pre-activation: 1 - Z^2", P::unknown},
      {Bug::relu_mask_from_grad, "relu-mask-from-grad", "ReLU mask taken from the output gradient", P::mask, "relu"},
      {Bug::softmax_ce_sign, "softmax-ce-sign", "softmax cross-entropy with the wrong sign", P::sign},
      {Bug::batchnorm_no_mean, "batchnorm-no-mean", "batch norm without the mean term", P::missing_term, "tanh", true},
      {Bug::dropout_new_mask, "dropout-new-mask", "dropout mask not reused in backward", P::contract, "tanh", false, 0.2},
      {Bug::momentum_in_grad, "momentum-in-grad", "momentum added to the gradient, not the velocity", P::contract},
      {Bug::glorot_fan_in, "glorot-fan-in", "Glorot bound with fan_in only (run-time scale)", P::scale, "tanh", false, 0.0, true},
      {Bug::broadcast_bias, "broadcast-bias", "bias gradient summed over the units too (broadcast)", P::reduction},
      {Bug::no_zero_grad, "no-zero-grad", "gradients accumulated without zeroing", P::contract},
  };
}

// The networks without a bug, one per configuration the bugs use: controls and baselines.
std::vector<BugInfo> controls() {
  return {
      {Bug::none, "control-tanh", "no bug: tanh network"},
      {Bug::none, "control-relu", "no bug: ReLU network", check::Pattern::none, "relu"},
      {Bug::none, "control-batchnorm", "no bug: with batch norm", check::Pattern::none, "tanh", true},
      {Bug::none, "control-dropout", "no bug: with dropout 0.2", check::Pattern::none, "tanh", false, 0.2},
      {Bug::none, "control-runtime-scale", "no bug: run-time Glorot scale", check::Pattern::none, "tanh", false, 0.0, true},
  };
}

// The control with the same network as b: its accuracy is what b's training is set against.
const BugInfo& control_for(const BugInfo& b, const std::vector<BugInfo>& list) {
  for (const BugInfo& c : list)
    if (c.activation == b.activation && c.batchnorm == b.batchnorm && c.dropout == b.dropout &&
        c.runtime_scale == b.runtime_scale)
      return c;
  return list.front();
}

// The kill matrix's checker settings: central and forward differences over the steps, float,
// directional, and the Taylor test.
std::vector<Setting> settings() {
  using S = check::Scheme;
  std::vector<Setting> s;
  for (double step : {1e-2, 1e-4, 1e-5, 1e-6, 1e-8})
    s.push_back({"central " + text::sci(step, 1) + (step == 1e-5 ? " (default)" : ""), Setting::vjp, S::central, step});
  for (double step : {1e-2, 1e-4, 1e-6, 1e-8})
    s.push_back({"forward " + text::sci(step, 1) + (step == 1e-8 ? " (default)" : ""), Setting::vjp, S::forward, step});
  s.push_back({"float central 1e-3", Setting::vjp, S::central, 1e-3, true});
  s.push_back({"float central 1e-5", Setting::vjp, S::central, 1e-5, true});
  s.push_back({"directional x4 (fast)", Setting::directional, S::central, 0.0});
  s.push_back({"Taylor test", Setting::taylor});
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A gallery of backpropagation bugs: the checker's verdict, where the error sits, whether "
               "training hides it, and which checker settings catch it.", "lab-bug-gallery"};
  lab::LabOptions options;
  options.name = "lab-bug-gallery";
  lab::add_options(app, options);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    const std::uint64_t seed = options.seed;
    const int epochs = options.full ? 100 : 20;
    const arma::uword n = options.full ? 1000 : 400;
    std::cout << "lab-bug-gallery: " << (options.full ? "full" : "quick") << " mode (" << epochs
              << " epochs on " << n << " disk points per bug), results in " << options.out.string() << '\n';

    Rng data_rng(seed);
    data::Dataset train_set = data::make_disk(n, data_rng);
    data::Dataset test_set = data::make_disk(n, data_rng);
    for (data::Dataset* d : {&train_set, &test_set}) d->X = 4.0 * (d->X - 0.5);  // centred, in [-2, 2]
    const data::Dataset check_batch = data::select(train_set, arma::regspace<arma::uvec>(0, 7), "check batch");

    const std::vector<BugInfo> bug_list = bugs(), control_list = controls();
    std::vector<BugInfo> rows = bug_list;
    rows.insert(rows.end(), control_list.begin(), control_list.end());

    // Baselines: each control trained once.
    std::map<std::string, TrainResult> baseline;
    for (const BugInfo& c : control_list)
      baseline[c.key] = train_with(c, train_set, test_set, epochs, seed, options.out / ("training-" + c.key + ".csv"));

    // The gallery: each network checked with the default check, bisected, mapped entry by entry,
    // and trained.
    GalleryTable gallery;
    std::vector<bool> names_it;
    bool all_caught = true;
    for (const BugInfo& b : rows) {
      const bool is_bug = b.bug != Bug::none;
      check::Options o;
      o.seed = seed;
      const check::CheckResult r = check::check_vjp(differentiable(b, check_batch, seed), o);
      const bool caught = r.verdict() == check::Verdict::fail;
      if (is_bug ? !caught : caught) all_caught = false;
      const Finding found = find_bug(b, check_batch, seed, r);
      names_it.push_back(found.diagnosis.pattern == b.expected);
      if (!names_it.back()) all_caught = false;
      // When the contract broke (state kept between calls), from the second backward call.
      const ErrorMap map = locate_error(b, check_batch, seed, !r.contract.holds(), o);
      write_heatmap(b, map, o.effective_tolerance(), options.out);
      const TrainResult trained =
          is_bug ? train_with(b, train_set, test_set, epochs, seed, options.out / ("training-" + b.key + ".csv"))
                 : baseline[b.key];
      gallery.add(b, r, found, map, trained, baseline[control_for(b, control_list).key]);
    }
    gallery.write(options.out, epochs);

    // The kill matrix: which checker settings fail which network, and (its last column) whether
    // the default check's diagnosis names the bug's class.
    const std::vector<Setting> setting_list = settings();
    std::vector<std::vector<bool>> fails(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (const Setting& s : setting_list) fails[i].push_back(caught_by(s, rows[i], check_batch, seed));
    const nlohmann::json kill_json = write_kill_matrix(rows, setting_list, fails, names_it, options.out);

    lab::write_summary(options, {{"bugs", gallery.json()}, {"kill_matrix", kill_json},
                                 {"every_bug_caught", all_caught}, {"epochs", epochs}, {"train_points", n}});
    std::cout << (all_caught ? "\nevery bug is caught by the default check and named by its diagnosis, and no control fails\n"
                             : "\nNOT every bug is caught and named by the default check (or a control fails): see the table\n");
    return all_caught ? 0 : 1;
  });
}
