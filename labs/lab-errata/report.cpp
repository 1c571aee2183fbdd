// lab-errata's table and figure (see report.hpp).
#include "report.hpp"

#include "gradlab/io/files.hpp"
#include "gradlab/output/csv.hpp"
#include "gradlab/programs/lab.hpp"
#include "gradlab/text.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>

using namespace gradlab;

namespace lab_errata {

namespace {

// The figure: each formula's max relative error as printed (an impulse; a shape mismatch drawn
// at 10) and corrected (a point), against the checker's tolerance.
output::Figure errata_figure(const std::vector<Row>& rows, const Tally& tally) {
  output::Figure f;
  f.name = "errata";
  f.title = "Max relative error of each printed formula against finite differences (" + std::to_string(tally.holds) +
            " hold, " + std::to_string(tally.fails) + " do not)";
  f.xlabel = "formula (report and equation)";
  f.ylabel = "max relative error";
  f.logy = true;
  f.width = 1300;
  f.height = 640;
  std::string xtics = "set xtics rotate by 60 right font ',8' (";
  for (std::size_t k = 0; k < rows.size(); ++k)
    xtics += (k ? ", " : "") + output::gnuplot_quote(rows[k].report + " " + rows[k].where) + " " + std::to_string(k);
  f.commands = {xtics + ")", "set xtics noenhanced", "set yrange [1e-17:100]", "set xrange [-1:" + std::to_string(rows.size()) + "]",
                "set bmargin 11",
                "set arrow 1 from graph 0, first 1e-6 to graph 1, first 1e-6 nohead dt 2 lc rgb 'gray40'",
                "set label 1 'tolerance (rtol 1e-6)' at graph 0.01, first 3e-6 tc rgb 'gray40'"};
  f.series = {{"errors.csv", "index", "printed", "as printed (shape mismatch drawn at 10)", "impulses", "lw 6 lc rgb '#d62728'", ""},
              {"errors.csv", "index", "corrected", "corrected (gradlab)", "points", "pt 7 ps 1.2 lc rgb '#2ca02c'", ""}};
  return f;
}

}  // namespace

Tally write_errata(const std::vector<Row>& rows, const std::filesystem::path& out) {
  output::Csv csv({"report", "equation or question", "formula as printed", "reading", "verdict", "max rel err",
                   "corrected formula (gradlab)", "corrected: verdict and max rel err", "whose error"});
  text::Table table({"report", "where", "verdict", "max rel err", "corrected", "whose"});
  output::Csv errors({"index", "printed", "corrected", "label"});
  Tally tally;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Row& r = rows[k];
    const Outcome& o = r.printed_outcome;
    const std::string verdict = o.holds ? "holds" : "does not hold";
    const std::string err = std::isfinite(o.max_rel_error) ? text::sci(o.max_rel_error) : "- (" + o.shape_note + ")";
    std::string corrected = "-";
    if (r.corrected_outcome)
      corrected = std::string(r.corrected_outcome->holds ? "holds" : "DOES NOT HOLD") + ", " +
                  text::sci(r.corrected_outcome->max_rel_error);
    (o.holds ? tally.holds : tally.fails)++;
    csv.add_row({r.report, r.where, r.printed, r.reading, verdict, err, r.corrected, corrected, r.source});
    table.add_row({r.report, r.where, verdict, std::isfinite(o.max_rel_error) ? text::sci(o.max_rel_error) : "- (shapes)",
                   corrected, r.source.substr(0, 40)});
    errors.add_row({std::to_string(k), text::number(std::isfinite(o.max_rel_error) ? std::max(o.max_rel_error, 1e-17) : 10.0),
                    text::number(r.corrected_outcome ? std::max(r.corrected_outcome->max_rel_error, 1e-17) : NAN),
                    r.report + " " + r.where});
    tally.formulas.push_back(
        {{"report", r.report}, {"where", r.where}, {"printed", r.printed}, {"reading", r.reading},
         {"holds", o.holds}, {"max_rel_error", std::isfinite(o.max_rel_error) ? nlohmann::json(o.max_rel_error) : nlohmann::json()},
         {"shape_note", o.shape_note}, {"corrected", r.corrected}, {"whose", r.source},
         {"corrected_holds", r.corrected_outcome ? nlohmann::json(r.corrected_outcome->holds) : nlohmann::json()}});
  }
  std::cout << "\nEvery derivative formula of the reports, as printed, against finite differences\n";
  table.print(std::cout);
  csv.write(out / "table-errata.csv");
  io::write_file_atomically(out / "table-errata.csv.title",
                            "Errata: every derivative formula the reports print, checked numerically as printed\n");
  errors.write(out / "errors.csv");
  lab::render_or_warn(errata_figure(rows, tally), out);
  return tally;
}

}  // namespace lab_errata
