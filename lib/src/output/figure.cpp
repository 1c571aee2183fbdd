#include "gradlab/output/figure.hpp"

#include "gradlab/io/files.hpp"

#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace gradlab::output {

std::string gnuplot_quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

namespace {
std::string column(const std::string& name) {
  return !name.empty() && name.front() == '(' ? name : gnuplot_quote(name);
}

// "first\nsecond" in double quotes, where gnuplot reads \n as a line break (backslashes and
// double quotes escaped).
std::string two_lines(const std::string& first, const std::string& second) {
  std::string q = "\"";
  for (const std::string* part : {&first, &second}) {
    if (part == &second) q += "\\n";
    for (char c : *part) q += c == '\\' || c == '"' ? std::string("\\") + c : std::string(1, c);
  }
  return q + "\"";
}
}  // namespace

std::string gnuplot_script(const Figure& f, const std::string& png_path,
                           const std::string& svg_path) {
  std::string s;
  s += "# " + f.title + "\n# Re-render with: gnuplot " + f.name + ".gp\n";
  s += "set datafile separator ','\n";
  s += "set datafile missing 'nan'\n";
  s += "set title " + (f.note.empty() ? gnuplot_quote(f.title) : two_lines(f.title, f.note)) + " noenhanced\n";
  s += "set xlabel " + gnuplot_quote(f.xlabel) + " noenhanced\n";
  s += "set ylabel " + gnuplot_quote(f.ylabel) + " noenhanced\n";
  if (!f.y2label.empty()) s += "set y2label " + gnuplot_quote(f.y2label) + " noenhanced\nset y2tics\nset ytics nomirror\n";
  if (f.logx) s += "set logscale x\nset format x '10^{%L}'\n";
  if (f.logy) s += "set logscale y\nset format y '10^{%L}'\n";
  // The legend outside the plot, on its right, unless a command places it: it never hides data.
  s += "set grid lc rgb '#dddddd'\nset key outside right top noenhanced\n";
  for (const std::string& c : f.commands) s += c + "\n";
  std::string plot = "plot ";
  for (std::size_t i = 0; i < f.series.size(); ++i) {
    const Series& p = f.series[i];
    plot += (i ? ", \\\n     " : "") + gnuplot_quote(p.data) + " using " + column(p.x) + ":" +
            column(p.y) + (p.z.empty() ? "" : ":" + column(p.z)) + " with " + p.style + " title " + gnuplot_quote(p.title) +
            (p.extra.empty() ? "" : " " + p.extra);
  }
  const std::string size = std::to_string(f.width) + "," + std::to_string(f.height);
  s += "set terminal pngcairo size " + size + " enhanced font 'Sans,10'\n";
  s += "set output " + gnuplot_quote(png_path) + "\n" + plot + "\n";
  s += "set terminal svg size " + size + " dynamic enhanced font 'Sans,10' background rgb 'white'\n";
  s += "set output " + gnuplot_quote(svg_path) + "\nreplot\nset output\n";
  return s;
}

void render(const Figure& f, const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  // The kept script writes NAME.png / NAME.svg; this run renders to temporaries and renames.
  io::write_file_atomically(folder / (f.name + ".gp"), gnuplot_script(f, f.name + ".png", f.name + ".svg"));
  const std::string suffix = ".tmp." + std::to_string(::getpid());
  const std::string png = f.name + ".png" + suffix, svg = f.name + ".svg" + suffix;
  const fs::path run_script = folder / (f.name + ".gp" + suffix);
  io::write_file_atomically(run_script, gnuplot_script(f, png, svg));
  const std::string command = "cd " + gnuplot_quote(folder.string()) + " && gnuplot " +
                              gnuplot_quote(run_script.filename().string()) + " 2>&1";
  std::string output;
  int status = -1;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    status = ::pclose(pipe);
  }
  std::error_code ec;
  fs::remove(run_script, ec);
  if (status != 0 || !fs::exists(folder / png) || !fs::exists(folder / svg)) {
    fs::remove(folder / png, ec);
    fs::remove(folder / svg, ec);
    throw std::runtime_error("figure " + (folder / f.name).string() +
                             ": gnuplot failed (is gnuplot-nox installed?)" +
                             (output.empty() ? "" : ": " + output.substr(0, 300)));
  }
  fs::rename(folder / png, folder / (f.name + ".png"));
  fs::rename(folder / svg, folder / (f.name + ".svg"));
}

}  // namespace gradlab::output
