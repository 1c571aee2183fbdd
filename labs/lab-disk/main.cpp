// lab-disk: report 001 (EPFL EE-559, Project Two), Table I.
// 1,000 training and 1,000 test points uniform in [0,1]^2, label 1 inside the disk of centre
// (0.5, 0.5) and radius 1/sqrt(2 pi). Two networks with N(0,1) weights, plain SGD, batch 5,
// lr 1e-4, 200 epochs, a summary every 10 epochs:
//   A: 2-25-25-25-2, ReLU, MSE on one-hot targets   (report: train 83.8%, test 80.3%)
//   B: 2-10-50-100-100-50-10-2, LeakyReLU, cross-entropy   (report: train 99.7%, test 96.7%)
// Each network and seed is a cell of the labs' runner (gradlab/programs/sweep.hpp), its history
// (and, for the first seed, its decision boundary) in out/lab-disk/cells/<network>-seed-<s>/;
// the merge writes Table I (comparison.csv), the training curves and decision boundaries
// (PNG + SVG + .gp) and summary.json.
#include "gradlab/programs/sweep.hpp"

#include "gradlab/data/synthetic.hpp"
#include "gradlab/programs/interrupt.hpp"
#include "gradlab/nn/mlp.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/text.hpp"
#include "gradlab/train/run.hpp"

#include <iostream>

using namespace gradlab;
using json = nlohmann::json;

namespace {

struct Network {
  std::string key, title;
  train::RunConfig config;
  double report_train, report_test;
};

std::vector<Network> networks(bool full) {
  train::RunConfig base;
  base.init = "normal";  // N(0, 1), as the report initialises weights and biases
  base.optimizer = "sgd";
  base.lr = 1e-4;
  base.batch = 5;
  base.epochs = full ? 200 : 40;
  Network a{"A", "2-25-25-25-2 ReLU + MSE", base, 0.838, 0.803};
  a.config.arch = {2, 25, 25, 25, 2};
  a.config.activation = "relu";
  a.config.loss = "mse";
  Network b{"B", "2-10-50-100-100-50-10-2 LeakyReLU + cross-entropy", base, 0.997, 0.967};
  b.config.arch = {2, 10, 50, 100, 100, 50, 10, 2};
  b.config.activation = "leaky_relu";
  b.config.loss = "ce";
  return {a, b};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Report 001's Table I: two networks on the disk data set.", "lab-disk"};
  lab::LabOptions options;
  options.name = "lab-disk";
  lab::add_options(app, options);
  lab::add_sweep_options(app, options);
  return run_main(app, argc, argv, [&] {
    if (app.count("--seeds") == 0) options.seeds = options.full ? 5 : 2;
    lab::finish_options(options);
    std::cout << "lab-disk (report 001): " << (options.full ? "full" : "quick") << " mode, "
              << options.seeds << " seeds, results in " << options.out.string() << '\n';

    const std::vector<Network> list = networks(options.full);
    lab::Sweep sweep;
    for (const Network& net : list)
      for (std::uint64_t seed : lab::seeds(options))
        sweep.cells.push_back({net.key + "-seed-" + std::to_string(seed),
                               {{"network", net.key}, {"seed", seed}, {"epochs", net.config.epochs}}});
    auto network = [&](const std::string& key) -> const Network& { return key == "A" ? list[0] : list[1]; };

    sweep.run = [&](const lab::Cell& cell, const std::filesystem::path& folder) -> json {
      const Network& net = network(cell.settings["network"]);
      const std::uint64_t seed = cell.settings["seed"];
      Rng data_rng(seed);
      data::Dataset train_set = data::make_disk(1000, data_rng);
      data::Dataset test_set = data::make_disk(1000, data_rng);
      train_set.name = "disk train";
      test_set.name = "disk test";
      train::RunConfig c = net.config;
      c.seed = seed;
      c.label = "network " + net.key + ", seed " + std::to_string(seed);
      train::Model model = train::build(c);
      train::TrainOptions o;
      o.epochs = c.epochs;
      o.batch_size = c.batch;
      o.seed = seed;
      o.stop = &interrupt_flag();
      o.progress = options.progress;
      o.progress_label = c.label;
      o.on_evaluation = [&](const train::History& h) {
        h.to_csv().write(folder / lab::cell_history);
        const train::Evaluation& e = h.last();
        const int epoch = static_cast<int>(std::lround(e.epoch));
        if (epoch % 10 == 0 && std::abs(e.epoch - epoch) < 1e-9 && seed == options.seed)
          std::cout << "  network " << net.key << " epoch " << epoch << ": train loss " << text::sci(e.train.loss, 3)
                    << ", train " << lab::percent(e.train.accuracy) << ", test " << lab::percent(e.test.accuracy) << '\n';
      };
      const train::History h = train::fit(model.net, *model.loss, *model.optimizer, {&train_set, nullptr, &test_set}, o);
      h.to_csv().write(folder / lab::cell_history);
      if (seed == options.seed) {
        // The decision boundary: the trained network's class on a 201 x 201 grid.
        output::Csv grid({"x1", "x2", "class"});
        model.net.set_mode(nn::Mode::eval);
        for (int i = 0; i <= 200; ++i) {
          arma::mat points(2, 201);
          for (int j = 0; j <= 200; ++j) points.col(j) = arma::vec{i / 200.0, j / 200.0};
          const arma::uvec predicted = train::predict(model.net.forward(points));
          for (int j = 0; j <= 200; ++j)
            grid.add_row(std::vector<double>{i / 200.0, j / 200.0, static_cast<double>(predicted(j))});
        }
        grid.write(folder / "boundary.csv");
        output::Csv points({"x1", "x2", "label"});
        for (arma::uword k = 0; k < test_set.size(); ++k)
          points.add_row(std::vector<double>{test_set.X(0, k), test_set.X(1, k), static_cast<double>(test_set.labels(k))});
        points.write(folder / "test-points.csv");
      }
      return {{"train", h.last().train.accuracy}, {"test", h.last().test.accuracy},
              {"outcome", train::to_string(h.outcome)}, {"summary", lab::without_times(h.summary())}};
    };

    bool any_diverged = false;
    sweep.merge = [&](const std::vector<lab::CellResult>& cells) {
      lab::Comparison table("Table I: accuracy after training (report 001 vs gradlab, mean +- std over seeds)");
      for (const Network& net : list) {
        std::vector<double> train_acc, test_acc;
        for (const lab::CellResult& cell : cells) {
          if (cell.cell.settings["network"] != net.key) continue;
          train_acc.push_back(cell.result["train"]);
          test_acc.push_back(cell.result["test"]);
          any_diverged |= cell.result["outcome"] == "diverged";
          if (cell.cell.settings["seed"] != options.seed) continue;
          lab::render_or_warn(lab::history_figure("curves-" + net.key, "Network " + net.key + ": " + net.title + " (seed " +
                                                      std::to_string(options.seed) + ")",
                                                  cell.file(lab::cell_history), false, cell.result["outcome"],
                                                  net.config.loss, net.config.epochs),
                              options.out);
          output::Figure f;
          f.name = "boundary-" + net.key;
          f.title = "Decision boundary, network " + net.key + ": " + net.title;
          f.xlabel = "x1";
          f.ylabel = "x2";
          f.width = 700;
          f.height = 640;
          f.commands = {"set size ratio -1", "set xrange [0:1]", "set yrange [0:1]",
                        "set palette defined (0 '#fde0dd', 1 '#deebf7')", "unset colorbox",
                        "set key outside bottom center horizontal",
                        "set object 1 circle at 0.5,0.5 size " + text::number(data::disk_radius) +
                            " front fillstyle empty border lc rgb 'black' lw 2"};
          const std::string points = cell.file("test-points.csv");
          f.series = {{cell.file("boundary.csv"), "x1", "x2", "predicted class (shaded)", "image", "", "class"},
                      {points, "x1", "(column('label') == 1 ? column('x2') : 1/0)", "test label 1", "points",
                       "pt 7 ps 0.35 lc rgb '#08519c'", ""},
                      {points, "x1", "(column('label') == 0 ? column('x2') : 1/0)", "test label 0", "points",
                       "pt 7 ps 0.35 lc rgb '#cb181d'", ""}};
          lab::render_or_warn(f, options.out);
        }
        if (train_acc.empty()) continue;
        table.add_measured("network " + net.key + " train accuracy (" + net.title + ")", net.report_train, train_acc, true,
                           2, options.full ? "" : "quick mode: fewer epochs than the report's 200");
        table.add_measured("network " + net.key + " test accuracy", net.report_test, test_acc, true);
      }
      table.print();
      table.write(options.out);
      return json{{"report", "001"}, {"table", table.json()}};
    };
    const int status = lab::run_sweep(options, sweep);
    return status == 0 && any_diverged ? 1 : status;
  });
}
