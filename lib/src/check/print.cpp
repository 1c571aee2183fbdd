#include "gradlab/check/print.hpp"

#include "gradlab/text.hpp"

#include <cmath>
#include <ostream>

namespace gradlab::check {

namespace {
std::string index_text(const TensorResult& t) {
  return "(" + std::to_string(t.worst_row) + "," + std::to_string(t.worst_col) + ")";
}
std::string contract_text(const ContractResult& c) { return c.holds() ? "ok" : "BROKEN"; }
}  // namespace

void print_table(std::ostream& out, const std::vector<CheckResult>& reports) {
  using text::sci;
  text::Table table({"check", "shapes", "method", "tensor", "shape", "checked", "max rel err",
                       "max abs err", "worst at", "analytic", "numeric", "pass", "kink", "inconcl.", "fail",
                       "contract", "verdict"});
  std::vector<std::string> problems;
  for (const CheckResult& r : reports) {
    for (const TensorResult& t : r.tensors) {
      table.add_row({r.label, r.shape, r.method, t.name,
                     std::to_string(t.rows) + "x" + std::to_string(t.cols),
                     std::to_string(t.checked), sci(t.max_rel_error), sci(t.max_abs_error),
                     index_text(t), sci(t.worst_analytic, 6), sci(t.worst_numeric, 6),
                     std::to_string(t.passed), std::to_string(t.kinks), std::to_string(t.inconclusive),
                     std::to_string(t.failed),
                     contract_text(r.contract), to_string(t.verdict())});
      if (t.diagnosis.pattern != Pattern::none) table.add_note("^ " + t.name + ": " + t.diagnosis.summary);
      if (t.inconclusive > 0)
        table.add_note("^ " + t.name + ": " + std::to_string(t.inconclusive) +
                       " inconclusive (disagreement within the numeric error): " + t.inconclusive_reason);
      if (std::isfinite(r.certified_error))
        table.add_note("^ " + std::to_string(t.rows) + " random directions catch a gradient error of relative size >= " +
                       sci(r.certified_error) + " with probability >= 1 - 1e-6");
    }
    if (!r.contract.holds()) problems.push_back(r.label + " (" + r.shape + "): " + r.contract.problem);
  }
  table.print(out);
  for (const std::string& p : problems) out << "contract broken: " << p << '\n';
}

nlohmann::json to_json(const TensorResult& t) {
  return {{"tensor", t.name},
          {"rows", t.rows},
          {"cols", t.cols},
          {"checked", t.checked},
          {"passed", t.passed},
          {"kinks", t.kinks},
          {"inconclusive", t.inconclusive},
          {"inconclusive_reason", t.inconclusive_reason},
          {"failed", t.failed},
          {"max_abs_error", t.max_abs_error},
          {"max_rel_error", t.max_rel_error},
          {"worst", {{"row", t.worst_row}, {"col", t.worst_col},
                     {"analytic", t.worst_analytic}, {"numeric", t.worst_numeric}}},
          {"verdict", to_string(t.verdict())},
          {"diagnosis", to_json(t.diagnosis)}};
}

nlohmann::json to_json(const Diagnosis& d) {
  if (d.pattern == Pattern::none) return nullptr;
  auto number_or_null = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  return {{"pattern", to_string(d.pattern)},
          {"summary", d.summary},
          {"constant", number_or_null(d.constant)},
          {"spread", number_or_null(d.spread)},
          {"explained", number_or_null(d.explained)}};
}

nlohmann::json to_json(const CheckResult& r) {
  nlohmann::json tensors = nlohmann::json::array();
  for (const TensorResult& t : r.tensors) tensors.push_back(to_json(t));
  return {{"check", r.label},
          {"shapes", r.shape},
          {"method", r.method},
          {"scheme", to_string(r.scheme)},
          {"step", r.step},
          {"contract", {{"assigned", r.contract.assigned},
                        {"repeatable", r.contract.repeatable},
                        {"linear", r.contract.linear},
                        {"problem", r.contract.problem}}},
          {"tensors", tensors},
          {"certified_error", std::isfinite(r.certified_error) ? nlohmann::json(r.certified_error) : nlohmann::json(nullptr)},
          {"verdict", to_string(r.verdict())}};
}

}  // namespace gradlab::check
