#pragma once
// Figures through gnuplot. A figure is a gnuplot script written beside its data (CSV files with
// a header row; series name their columns), rendered to PNG and SVG. The script stays, so a
// user can restyle it and re-render with `gnuplot NAME.gp`.
#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::output {

struct Series {
  std::string data;      // CSV file name, relative to the figure's folder
  std::string x, y;      // column names (or gnuplot expressions in parentheses)
  std::string title;     // legend entry
  std::string style = "lines";  // gnuplot "with ..." style: lines, linespoints, points, ...
  std::string extra;     // more gnuplot plot options, e.g. "dt 2 lw 2" or "axes x1y2"
  std::string z;         // a third column when the style needs one ("image", "lc variable")
};

struct Figure {
  std::string name;      // file stem: NAME.gp, NAME.png, NAME.svg
  std::string title;
  std::string note;      // a second line under the title (e.g. "quick mode: not comparable ...")
  std::string xlabel, ylabel;
  std::string y2label;   // when some series use axes x1y2
  bool logx = false, logy = false;
  std::vector<Series> series;
  // Extra gnuplot commands before plot (labels, ranges); the legend is outside the plot on the
  // right unless a command moves it.
  std::vector<std::string> commands;
  int width = 900, height = 560;
};

// The gnuplot script of a figure, writing PNG_PATH and SVG_PATH.
std::string gnuplot_script(const Figure& figure, const std::string& png_path,
                           const std::string& svg_path);

// Writes folder/NAME.gp and renders folder/NAME.png and folder/NAME.svg (each written to a
// temporary and renamed, so a failed render leaves no half image). Throws std::runtime_error
// naming the figure when gnuplot fails or is missing.
void render(const Figure& figure, const std::filesystem::path& folder);

// Quotes a string for a gnuplot script (single quotes, doubled inside).
std::string gnuplot_quote(const std::string& text);

}  // namespace gradlab::output
