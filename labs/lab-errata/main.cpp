// lab-errata: every derivative formula the five reports print (the five student reports), implemented
// as printed where it can be read unambiguously, and checked numerically against the function it
// claims to differentiate. For each formula that fails, the corrected formula (the one gradlab
// implements, taken from gradlab::ops where one exists) is checked the same way.
// Study: docs/studies/errata.md.
//
// "As printed" means the extracted text. Where a formula admits a single reading only with a
// convention the report states elsewhere (row-vector gradients in report 003, one sample at a
// time), that reading is used and named in the "reading" column. Where the text is damaged or
// ambiguous, the row says so and which reading was checked.
//
//   compare.hpp/.cpp   numerical Jacobians and gradients, the comparison, one row (Row)
//   formulas.hpp/.cpp  every printed formula, section by section
//   report.hpp/.cpp    table-errata.csv, errors.csv and the figure
//
// Writes out/lab-errata/: table-errata.csv (+ .title), errors.csv and a figure of the max
// relative error per formula, summary.json. Exit status 1 when a corrected formula does not
// hold, or a formula's verdict differs from the one this lab documents (so the study's table
// stays true).
#include "formulas.hpp"
#include "report.hpp"

#include "gradlab/programs/lab.hpp"

#include <algorithm>
#include <iostream>

using namespace gradlab;
using namespace lab_errata;

namespace {

// Draws after the first: a row holds when it holds at every draw, its error the largest.
void merge_draw(std::vector<Row>& rows, const std::vector<Row>& here) {
  for (std::size_t k = 0; k < rows.size(); ++k) {
    rows[k].printed_outcome.max_rel_error = std::max(rows[k].printed_outcome.max_rel_error, here[k].printed_outcome.max_rel_error);
    rows[k].printed_outcome.holds = rows[k].printed_outcome.holds && here[k].printed_outcome.holds;
    if (rows[k].corrected_outcome && here[k].corrected_outcome) {
      rows[k].corrected_outcome->holds = rows[k].corrected_outcome->holds && here[k].corrected_outcome->holds;
      rows[k].corrected_outcome->max_rel_error =
          std::max(rows[k].corrected_outcome->max_rel_error, here[k].corrected_outcome->max_rel_error);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Every derivative the five reports print, checked numerically as printed.", "lab-errata"};
  lab::LabOptions options;
  options.name = "lab-errata";
  lab::add_options(app, options);
  return run_main(app, argc, argv, [&] {
    lab::finish_options(options);
    std::cout << "lab-errata: " << (options.full ? "full" : "quick") << " mode, results in " << options.out.string() << '\n';
    // Full mode repeats every check at several random draws (the verdicts must not depend on them).
    const int draws = options.full ? 5 : 1;
    std::vector<Row> rows;
    for (int draw = 0; draw < draws; ++draw) {
      Rng rng(options.seed + static_cast<std::uint64_t>(draw));
      const std::vector<Row> here = check_formulas(rng);
      if (draw == 0)
        rows = here;
      else
        merge_draw(rows, here);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.report < b.report; });

    // The documented verdicts stand, and every formula that fails holds once corrected.
    bool consistent = true;
    for (const Row& r : rows) {
      const Outcome& o = r.printed_outcome;
      if (o.holds != r.expected_holds) consistent = false;
      if (!o.holds && (!r.corrected_outcome || !r.corrected_outcome->holds)) consistent = false;
    }

    const Tally tally = write_errata(rows, options.out);
    lab::write_summary(options, {{"formulas", tally.formulas}, {"hold", tally.holds}, {"do_not_hold", tally.fails},
                                 {"draws", draws}, {"consistent", consistent}});
    std::cout << '\n' << rows.size() << " formulas: " << tally.holds << " hold, " << tally.fails << " do not; "
              << (consistent ? "every correction holds and every verdict is the documented one\n"
                             : "SOME verdict differs from the documented one or a correction fails\n");
    return consistent ? 0 : 1;
  });
}
