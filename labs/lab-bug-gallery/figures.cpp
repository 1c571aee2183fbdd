// lab-bug-gallery's figures: the heatmaps and the kill matrix (see figures.hpp).
#include "figures.hpp"

#include "gradlab/output/csv.hpp"
#include "gradlab/programs/lab.hpp"
#include "gradlab/text.hpp"

#include <algorithm>
#include <cmath>

using namespace gradlab;

namespace lab_bug_gallery {

namespace {

// The heatmaps. All of them share one colour scale, so that a control and a bug can be told
// apart at a glance: the colour is log10 of the per-entry relative error that the checker reads
// (Tolerance::relative_error: |a - n| / max(|a|, |n|, atol / rtol)), on a fixed range that is
// never fitted to the data. The range runs from 1e-16, agreement to the last bit (exact zeros
// are drawn there), to 10, above the largest possible value of 2. The palette is calm below the
// checker's relative tolerance (white to pale blue). At the tolerance it breaks into orange and
// then darkens to near-black red, so dark means wrong. The tolerance is a labelled tic with a
// line across the colour bar. Rows and columns get integer tics at the 0-based indices that the
// table's "where" column uses, so a one-column tensor gets the single tic 0.

constexpr int heat_low = -16, heat_high = 1;  // log10 of the relative error: the colour range

// The heatmap's value for one entry: log10 of its relative error, clamped to the range.
double heat_value(double relative_error) {
  return std::clamp(std::log10(std::max(relative_error, 1e-300)), double(heat_low), double(heat_high));
}

// "set xtics ... 0,STEP,LAST": a tic at every index of an axis of n entries (every few when n is large).
std::string index_tics(const std::string& axis, arma::uword n) {
  const arma::uword step = std::max<arma::uword>(1, (n + 15) / 16);
  return "set " + axis + "tics out nomirror 0," + std::to_string(step) + "," + std::to_string(n - 1);
}

// The heatmap of one tensor's relative errors (data: NAME.csv, columns column, row,
// log10_rel_error), rows x cols entries, under the checker's tolerance tol.
output::Figure heatmap_figure(const std::string& name, const std::string& title, const std::string& tensor,
                              arma::uword rows, arma::uword cols, const check::Tolerance& tol) {
  output::Figure f;
  f.name = name;
  f.title = title;
  f.xlabel = "column of " + tensor;
  f.ylabel = "row of " + tensor;
  f.width = 820;
  f.height = 600;
  const double t = std::log10(tol.rtol);
  const std::string at = text::number(t), low = std::to_string(heat_low), high = std::to_string(heat_high);
  // The colour bar: integer tics every 2 decades, the tolerance's own tic in their place.
  std::string cbtics = "set cbtics out (";
  for (int v = heat_low; v <= heat_high; v += 2)
    if (std::abs(v - t) >= 1.0) cbtics += "'10^{" + std::to_string(v) + "}' " + std::to_string(v) + ", ";
  cbtics += "'{/:Bold tolerance 10^{" + at + "}}' " + at + ")";
  // Fixed geometry (screen fractions), so that the tolerance line can be drawn on the colour bar.
  const double left = 0.10, right = 0.74, bottom = 0.11, top = 0.90, bar = 0.77, bar_width = 0.03;
  const double tol_y = bottom + (top - bottom) * (t - heat_low) / (heat_high - heat_low);
  const auto screen = [](double v) { return "screen " + text::number(v); };
  f.commands = {
      "unset grid", "unset key",
      "set lmargin at " + screen(left), "set rmargin at " + screen(right),
      "set bmargin at " + screen(bottom), "set tmargin at " + screen(top),
      "set colorbox user origin " + screen(bar) + ", " + screen(bottom) + " size " + screen(bar_width) + ", " +
          screen(top - bottom),
      "set cbrange [" + low + ":" + high + "]", cbtics,
      "set cblabel 'relative error per entry, |a - n| / max(|a|, |n|, " + text::number(tol.atol / tol.rtol) +
          ") (log scale)' noenhanced",
      // Pale below the tolerance, then orange to near-black red: dark means wrong.
      "set palette defined (" + low + " '#ffffff', " + at + " '#c6dbef', " + at + " '#fdae6b', " +
          text::number(t + 0.4 * (heat_high - t)) + " '#e6550d', " + text::number(t + 0.75 * (heat_high - t)) +
          " '#a50f15', " + high + " '#3b0008')",
      "set arrow from " + screen(bar - 0.008) + ", " + screen(tol_y) + " to " + screen(bar + bar_width + 0.008) +
          ", " + screen(tol_y) + " nohead front lw 2 lc rgb 'black'",
      index_tics("x", cols), index_tics("y", rows),
      "set xrange [-0.5:" + std::to_string(cols) + "-0.5]",
      "set yrange [" + std::to_string(rows) + "-0.5:-0.5]"};
  // One filled box per entry (an image needs two columns at least; vectors have one).
  f.series = {{name + ".csv", "column", "row", "log10 relative error", "boxxyerror",
               "fs solid 1.0 border lc rgb '#d9d9d9' lc palette", "(0.5):(0.5):(column('log10_rel_error'))"}};
  return f;
}

}  // namespace

void write_heatmap(const BugInfo& info, const ErrorMap& map, const check::Tolerance& tol,
                   const std::filesystem::path& out) {
  output::Csv heat({"column", "row", "abs_error", "rel_error", "log10_rel_error"});
  for (arma::uword c = 0; c < map.rel.n_cols; ++c)
    for (arma::uword r = 0; r < map.rel.n_rows; ++r)
      heat.add_row(std::vector<double>{double(c), double(r), map.diff(r, c), map.rel(r, c), heat_value(map.rel(r, c))});
  heat.write(out / ("heatmap-" + info.key + ".csv"));
  const std::string title = info.title + ": relative error over " + map.tensor + " (" +
                            std::to_string(map.rel.n_rows) + "x" + std::to_string(map.rel.n_cols) + ")" +
                            (map.second_call ? ", 2nd backward call" : "");
  lab::render_or_warn(heatmap_figure("heatmap-" + info.key, title, map.tensor, map.rel.n_rows, map.rel.n_cols, tol),
                      out);
}

output::Figure kill_matrix_figure(const std::vector<std::string>& row_titles,
                                  const std::vector<std::string>& column_labels) {
  // Readable at page size: fixed margins (screen fractions) that leave room for the longest
  // row title on the left and for the colour bar and its labels on the right, and cells wide
  // enough for their marks at the cells' font (checks/scripts/bug_gallery_figures.sh measures
  // both from the script).
  output::Figure km;
  km.name = "kill-matrix";
  km.title = "Kill matrix: which checker settings catch which bug";
  km.xlabel = "checker setting";
  km.ylabel = "";
  km.width = 1260;
  km.height = 800;
  std::string xtics = "set xtics rotate by 40 right (", ytics = "set ytics (";
  for (std::size_t j = 0; j < column_labels.size(); ++j)
    xtics += (j ? ", " : "") + output::gnuplot_quote(column_labels[j]) + " " + std::to_string(j);
  for (std::size_t i = 0; i < row_titles.size(); ++i)
    ytics += (i ? ", " : "") + output::gnuplot_quote(row_titles[i]) + " " + std::to_string(i);
  km.commands = {xtics + ")", ytics + ")", "set yrange [" + std::to_string(row_titles.size()) + "-0.5:-0.5]",
                 "set xrange [-0.5:" + std::to_string(column_labels.size()) + "-0.5]",
                 "set lmargin at screen 0.30", "set rmargin at screen 0.84",
                 "set bmargin at screen 0.22", "set tmargin at screen 0.93",
                 "set colorbox user origin screen 0.855, screen 0.60 size screen 0.02, screen 0.33",
                 "set palette maxcolors 4",
                 "set palette defined (0 '#d62728', 1 '#2ca02c', 2 '#e0e0e0', 3 '#ff7f0e')",
                 "set cbrange [-0.5:3.5]",
                 "set cbtics scale 0 ('bug missed' 0, 'bug caught' 1, 'control passes' 2, 'false alarm' 3)",
                 "unset key", "set grid noxtics noytics",
                 "set xtics noenhanced", "set ytics noenhanced"};
  km.series = {{"kill-matrix.csv", "setting", "row", "outcome", "image", "", "value"},
               {"kill-matrix.csv", "setting", "row", "marks", "labels", "font ',8'", "(stringcolumn('mark'))"}};
  return km;
}

}  // namespace lab_bug_gallery
