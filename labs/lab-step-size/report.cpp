// lab-step-size's tables (see report.hpp).
#include "report.hpp"

#include "gradlab/io/files.hpp"

#include <cmath>
#include <iostream>
#include <string>

using namespace gradlab;

namespace lab_step_size {

BestStepTable::BestStepTable()
    : csv_({"function", "precision", "scheme", "best step", "error at best step", "theory best step", "fitted slope",
            "theory slope", "slope check"}),
      table_({"function", "precision", "scheme", "best step", "error there", "theory best", "fitted slope", "theory",
              "check"}) {}

void BestStepTable::add(const Experiment& e) {
  const Problem& p = e.problem;
  for (const Curve& c : e.curves) {
    const std::string check = !std::isfinite(c.slope) ? (c.enforced ? "FAIL (no fit)" : "no truncation regime")
                              : c.enforced            ? (c.slope_ok ? "ok" : "FAIL")
                                                      : (c.slope_ok ? "ok (not enforced)" : "off (not enforced)");
    const std::vector<std::string> row{
        p.key, e.precision, scheme_key(c.scheme), text::sci(c.best_h, 2), text::sci(c.best_error, 2),
        std::isfinite(theory_best_step(c.scheme, e.eps)) ? text::sci(theory_best_step(c.scheme, e.eps), 1) : "none",
        std::isfinite(c.slope) ? text::fixed(c.slope, 2) : "-", std::to_string(theory_order(c.scheme)), check};
    csv_.add_row(row);
    table_.add_row(row);
    json_.push_back({{"function", p.key}, {"precision", e.precision}, {"scheme", scheme_key(c.scheme)},
                     {"best_step", c.best_h}, {"best_error", c.best_error},
                     {"slope", std::isfinite(c.slope) ? nlohmann::json(c.slope) : nlohmann::json()},
                     {"theory_slope", theory_order(c.scheme)}, {"slope_ok", c.slope_ok}});
  }
}

void BestStepTable::write(const std::filesystem::path& out) const {
  std::cout << "\nBest step and its error per scheme (relative error; slopes fitted in the truncation regime)\n";
  table_.print(std::cout);
  csv_.write(out / "table-best-steps.csv");
  io::write_file_atomically(out / "table-best-steps.csv.title",
                            "Best step per scheme, its error, and the fitted slope of the error (theory: "
                            "1 forward, 2 central, 4 five-point, 2 complex step)\n");
}

nlohmann::json write_taylor_table(const std::vector<TaylorCase>& cases, const std::vector<check::TaylorResult>& reports,
                                  const std::vector<bool>& ok, const std::filesystem::path& out) {
  output::Csv csv({"case", "fitted slope", "expected", "points fitted", "verdict", "slope check"});
  text::Table table({"case", "fitted slope", "expected", "points fitted", "verdict", "slope check"});
  nlohmann::json json = nlohmann::json::array();
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const check::TaylorResult& r = reports[k];
    const double expected = cases[k].right ? 2.0 : 1.0;
    const std::vector<std::string> row{cases[k].title, std::isfinite(r.slope) ? text::fixed(r.slope, 2) : "-",
                                       text::fixed(expected, 0), std::to_string(r.fitted),
                                       check::to_string(r.verdict), ok[k] ? "ok" : "FAIL"};
    table.add_row(row);
    csv.add_row(row);
    json.push_back({{"case", cases[k].key}, {"slope", r.slope}, {"verdict", check::to_string(r.verdict)},
                    {"note", r.note}});
  }
  std::cout << "\nTaylor test (slope of the first-order remainder; 2: right, 1: wrong)\n";
  table.print(std::cout);
  csv.write(out / "table-taylor.csv");
  io::write_file_atomically(out / "table-taylor.csv.title",
                            "Taylor test: fitted slope of the remainder (2: right gradient, 1: wrong)\n");
  return json;
}

}  // namespace lab_step_size
