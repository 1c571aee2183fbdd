// lab-step-size's figures (see figures.hpp).
#include "figures.hpp"

#include "gradlab/output/csv.hpp"
#include "gradlab/programs/lab.hpp"
#include "gradlab/text.hpp"

#include <cmath>
#include <string>

using namespace gradlab;

namespace lab_step_size {

namespace {

// The machine epsilon of the experiment's precision, as the figure's legend writes it.
std::string precision_eps_text(const Experiment& e) {
  return e.precision == "float" ? "1.2e-7" : "2.2e-16";
}

}  // namespace

void write_experiment(const Experiment& e, const std::vector<double>& steps, const std::filesystem::path& out) {
  const std::string stem = "error-" + e.problem.key + "-" + e.precision;
  std::vector<std::string> columns{"h"};
  for (const Curve& c : e.curves) columns.push_back(scheme_key(c.scheme));
  for (const Curve& c : e.curves) columns.push_back(std::string("guide_") + scheme_key(c.scheme));
  columns.push_back("rounding_floor");
  output::Csv csv(columns);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double h = steps[i];
    std::vector<double> row{h};
    for (const Curve& c : e.curves) row.push_back(c.error[i]);
    for (const Curve& c : e.curves) {
      // The theoretical slope through the fitted points, drawn a decade beyond them each way.
      const bool near = std::isfinite(c.slope) && h >= c.fit_lo / 10.0 && h <= c.fit_hi * 10.0;
      // Shifted up by a factor 10, so that it runs beside the curve instead of under it.
      row.push_back(near ? 10.0 * c.fit_anchor_error * std::pow(h / c.fit_anchor_h, theory_order(c.scheme)) : NAN);
    }
    row.push_back(e.eps / h);
    csv.add_row(row);
  }
  csv.write(out / (stem + ".csv"));
  output::Csv best({"h", "error", "scheme"});
  for (const Curve& c : e.curves)
    best.add_row({text::number(c.best_h), text::number(c.best_error), scheme_key(c.scheme)});
  best.write(out / (stem + "-best.csv"));

  output::Figure f;
  f.name = stem;
  f.title = "Derivative error vs step: " + e.problem.title + ", " + e.precision;
  f.xlabel = "step h";
  f.ylabel = "relative error |numeric - exact| / |exact|";
  f.logx = f.logy = true;
  f.width = 960;
  f.height = 700;
  // The legend in rows under the x label, clear of it and of the data.
  f.commands = {"set bmargin 10", "set key at screen 0.5,0.01 center bottom horizontal maxrows 5 spacing 1.1",
                "set xrange [1e-14:1e-1]",
                e.precision == "float" ? "set yrange [1e-10:10]" : "set yrange [1e-17:10]"};
  const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  const char* guide_names[] = {"slope 1 (h)", "slope 2 (h^2)", "slope 4 (h^4)", "slope 2 (h^2) complex step"};
  // The central difference and the complex step share their slope 2 and, at large steps, their
  // error: the central curve is drawn wide with hollow points, the complex step thin and dashed
  // on top of it, so both show where they coincide.
  auto style = [](Scheme s) -> std::string {
    switch (s) {
      case Scheme::central: return "lw 5 pt 6 ps 1.5";
      case Scheme::complex_step: return "lw 1.5 dt 2 pt 7 ps 0.5";
      case Scheme::five_point: return "lw 2 pt 5 ps 0.6";
      default: return "lw 2 pt 7 ps 0.5";
    }
  };
  for (std::size_t k = 0; k < e.curves.size(); ++k) {
    const Curve& c = e.curves[k];
    std::string title = scheme_title(c.scheme);
    if (std::isfinite(c.slope)) title += ", fitted slope " + text::fixed(c.slope, 2);
    f.series.push_back({stem + ".csv", "h", scheme_key(c.scheme), title, "linespoints",
                        style(c.scheme) + " lc rgb '" + colours[k] + "'", ""});
  }
  for (std::size_t k = 0; k < e.curves.size(); ++k)
    if (std::isfinite(e.curves[k].slope))
      f.series.push_back({stem + ".csv", "h", std::string("guide_") + scheme_key(e.curves[k].scheme),
                          std::string("theory: ") + guide_names[k] + ", shifted x10", "lines",
                          std::string("dt 2 lw 1.5 lc rgb '") + colours[k] + "'", ""});
  f.series.push_back({stem + ".csv", "h", "rounding_floor", "rounding floor eps / h (eps " +
                      precision_eps_text(e) + ")", "lines", "dt 3 lw 2 lc rgb 'black'", ""});
  f.series.push_back({stem + "-best.csv", "h", "error", "best step of each scheme (error smoothed over half a decade)", "points",
                      "pt 6 ps 2.5 lw 2 lc rgb 'black'", ""});
  lab::render_or_warn(f, out);
}

void write_taylor_figure(const std::vector<TaylorCase>& cases, const std::vector<check::TaylorResult>& reports,
                         const std::filesystem::path& out) {
  // The remainders (an exact zero drawn at the bottom) and the two guide slopes.
  std::vector<std::string> columns{"h"};
  for (const TaylorCase& c : cases) columns.push_back(c.key);
  columns.push_back("guide_h");
  columns.push_back("guide_h2");
  output::Csv taylor_csv(columns);
  for (std::size_t i = 0; i < reports[0].points.size(); ++i) {
    const double h = reports[0].points[i].h;
    std::vector<double> row{h};
    for (const auto& r : reports) row.push_back(r.points[i].remainder > 0 ? r.points[i].remainder : 1e-18);
    // The guides clear of the curves: slope 1 above the wrong gradients' remainders (about h),
    // slope 2 below the right ones' (about h^2 / 10).
    row.push_back(5.0 * h);
    row.push_back(1e-2 * h * h);
    taylor_csv.add_row(row);
  }
  taylor_csv.write(out / "taylor.csv");
  output::Figure tf;
  tf.name = "taylor";
  tf.title = "Taylor test: remainder |phi(x+hv) - phi(x) - h <g, v>| vs step h";
  tf.xlabel = "step h (v a random unit direction)";
  tf.ylabel = "first-order remainder";
  tf.logx = tf.logy = true;
  tf.width = 960;
  tf.height = 700;
  tf.commands = {"set bmargin 8", "set key at screen 0.5,0.01 center bottom horizontal maxrows 3 spacing 1.1",
                 "set yrange [1e-18:1]"};
  const char* colours[] = {"#1f77b4", "#1f77b4", "#d62728", "#d62728"};
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const check::TaylorResult& r = reports[k];
    tf.series.push_back({"taylor.csv", "h", cases[k].key,
                         cases[k].title + ": slope " + (std::isfinite(r.slope) ? text::fixed(r.slope, 2) : "-") +
                             " " + check::to_string(r.verdict),
                         "linespoints", std::string("lw 2 pt 7 ps 0.6 lc rgb '") + colours[k] + "'" +
                                            (cases[k].right ? "" : " dt 2"), ""});
  }
  tf.series.push_back({"taylor.csv", "h", "guide_h", "slope 1 (h): a wrong gradient", "lines", "dt 3 lw 1.5 lc rgb 'gray40'", ""});
  tf.series.push_back({"taylor.csv", "h", "guide_h2", "slope 2 (h^2): a right gradient", "lines", "dt 4 lw 1.5 lc rgb 'black'", ""});
  lab::render_or_warn(tf, out);
}

}  // namespace lab_step_size
