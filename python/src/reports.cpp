#include "reports.hpp"

#include "gradlab/text.hpp"

#include <pybind11/stl.h>

#include <cmath>
#include <functional>
#include <sstream>

namespace gradlab::python {

namespace {

// How the repr's table shows a field: as Python prints it, a float to 2 or 6 digits, or a note
// on a line of its own under the row ("^ dW: diagnosis: ..."), left out when None or empty.
enum class Cell { text, error, value, note };

template <class T>
struct Field {
  const char* name;
  const char* doc;
  Cell cell;
  std::function<py::object(const T&)> get;
};

py::tuple tuple_of(const Shape& shape) {
  py::tuple t(shape.size());
  for (std::size_t i = 0; i < shape.size(); ++i) t[i] = py::int_(shape[i]);
  return t;
}

// ---- the fields, one line each --------------------------------------------------------------

const std::vector<Field<TensorReport>>& tensor_fields() {
  using R = TensorReport;
  static const std::vector<Field<R>> fields = {
      {"name", "the gradient compared: 'dW' (check_vjp), 'J[W]' (check_jacobian) or 'directions'",
       Cell::text, [](const R& t) { return py::cast(t.result.name); }},
      {"shape", "its shape as NumPy sees it: the input's for 'dW', (Y.size, W.size) for 'J[W]', "
                "(directions,) for 'directions'",
       Cell::text, [](const R& t) { return py::object(tuple_of(t.shape)); }},
      {"checked", "elements compared", Cell::text, [](const R& t) { return py::cast(t.result.checked); }},
      {"passed", "elements within tolerance", Cell::text, [](const R& t) { return py::cast(t.result.passed); }},
      {"kinks", "elements at a corner whose analytic value lies between the one-sided slopes",
       Cell::text, [](const R& t) { return py::cast(t.result.kinks); }},
      {"inconclusive", "failing elements whose disagreement lies within the numeric value's own error",
       Cell::text, [](const R& t) { return py::cast(t.result.inconclusive); }},
      {"failed", "elements that are neither", Cell::text, [](const R& t) { return py::cast(t.result.failed); }},
      {"max_rel_error", "largest |a - n| / max(|a|, |n|, atol / rtol) over the elements that are not kinks",
       Cell::error, [](const R& t) { return py::cast(t.result.max_rel_error); }},
      {"max_abs_error", "largest |a - n| over the elements that are not kinks",
       Cell::error, [](const R& t) { return py::cast(t.result.max_abs_error); }},
      {"worst_index", "the element furthest from |a - n| <= atol + rtol |n|, indexed in `shape`",
       Cell::text, [](const R& t) { return py::object(t.worst_index); }},
      {"worst_analytic", "backward's value there (a)", Cell::value,
       [](const R& t) { return py::cast(t.result.worst_analytic); }},
      {"worst_numeric", "the finite difference there (n)", Cell::value,
       [](const R& t) { return py::cast(t.result.worst_numeric); }},
      {"verdict", "'PASS', 'KINK' (passes, with kinks), 'INCONCLUSIVE' or 'FAIL'", Cell::text,
       [](const R& t) { return py::cast(check::to_string(t.result.verdict())); }},
      {"inconclusive_reason", "why the inconclusive elements are ('' when there are none)", Cell::note,
       [](const R& t) { return py::cast(t.result.inconclusive_reason); }},
      {"diagnosis", "the kind of mistake a failing tensor shows (a Diagnosis), None when it does not fail",
       Cell::note, [](const R& t) {
         return t.result.diagnosis.pattern == check::Pattern::none ? py::none() : py::cast(t.result.diagnosis);
       }},
  };
  return fields;
}

const std::vector<Field<check::Diagnosis>>& diagnosis_fields() {
  using R = check::Diagnosis;
  static const std::vector<Field<R>> fields = {
      {"pattern", "'sign', 'scale', 'transpose', 'mask', 'reduction', 'missing term', 'only at kinks', "
                  "'contract' or 'no known pattern'",
       Cell::text, [](const R& d) { return py::cast(check::to_string(d.pattern)); }},
      {"summary", "one line: the pattern, its constant and the evidence, in gradlab's orientation "
                  "(its rows are the array's last axis, its columns the rest: the samples)",
       Cell::text, [](const R& d) { return py::cast(d.summary); }},
      {"constant", "the fitted c of a sign or scale (NaN otherwise)", Cell::value,
       [](const R& d) { return py::cast(d.constant); }},
      {"spread", "the spread of A_i / N_i around c (NaN otherwise)", Cell::error,
       [](const R& d) { return py::cast(d.spread); }},
      {"explained", "the share of entries the pattern explains", Cell::error,
       [](const R& d) { return py::cast(d.explained); }},
  };
  return fields;
}

const std::vector<Field<ContractReport>>& contract_fields() {
  using R = ContractReport;
  static const std::vector<Field<R>> fields = {
      {"assigned", "one gradient per input, of its shape, finite where the input is", Cell::text,
       [](const R& c) { return py::cast(c.result.assigned); }},
      {"repeatable", "backward run twice gives the same numbers, bit for bit", Cell::text,
       [](const R& c) { return py::cast(c.result.repeatable); }},
      {"linear", "backward(a G + G2) = a backward(G) + backward(G2)", Cell::text,
       [](const R& c) { return py::cast(c.result.linear); }},
      {"problem", "the first breach, in words ('' when the contract holds)", Cell::text,
       [](const R& c) { return py::cast(c.result.problem); }},
      {"holds", "all three hold", Cell::text, [](const R& c) { return py::cast(c.result.holds()); }},
  };
  return fields;
}

const std::vector<Field<CheckReport>>& check_fields() {
  using R = CheckReport;
  static const std::vector<Field<R>> fields = {
      {"label", "what was checked", Cell::text, [](const R& r) { return py::cast(r.result.label); }},
      {"shapes", "the inputs and their shapes", Cell::text, [](const R& r) { return py::cast(r.result.shape); }},
      {"method", "'vjp', 'jacobian' or 'directional'", Cell::text,
       [](const R& r) { return py::cast(r.result.method); }},
      {"scheme", "'central' or 'forward' differences", Cell::text,
       [](const R& r) { return py::cast(check::to_string(r.result.scheme)); }},
      {"step", "the relative step: h = step * max(1, |x|)", Cell::error,
       [](const R& r) { return py::cast(r.result.step); }},
      {"atol", "absolute tolerance: an element passes when |a - n| <= atol + rtol |n|", Cell::error,
       [](const R& r) { return py::cast(r.tolerance.atol); }},
      {"rtol", "relative tolerance", Cell::error, [](const R& r) { return py::cast(r.tolerance.rtol); }},
      {"seed", "the seed of the upstream gradient G and the random directions", Cell::text,
       [](const R& r) { return py::cast(r.seed); }},
      {"tensors", "one TensorReport per compared tensor", Cell::text,
       [](const R& r) { return py::cast(r.tensors); }},
      {"contract", "backward's contract (ContractReport)", Cell::text,
       [](const R& r) { return py::cast(ContractReport{r.result.contract}); }},
      {"certified_error", "check_directional: a gradient error of at least this relative size is caught "
                          "with probability at least 1 - 1e-6 (NaN for the other checks)",
       Cell::error, [](const R& r) { return py::cast(r.result.certified_error); }},
      {"verdict", "'FAIL' if a tensor fails or the contract breaks, else the first of 'INCONCLUSIVE', "
                  "'KINK' and 'PASS' that a tensor has",
       Cell::text, [](const R& r) { return py::cast(check::to_string(r.result.verdict())); }},
      {"ok", "True when the verdict is 'PASS' or 'KINK'", Cell::text, [](const R& r) {
         const check::Verdict v = r.result.verdict();
         return py::cast(v == check::Verdict::pass || v == check::Verdict::kink);
       }},
  };
  return fields;
}

const std::vector<Field<check::TaylorPoint>>& taylor_point_fields() {
  using R = check::TaylorPoint;
  static const std::vector<Field<R>> fields = {
      {"h", "the step along the unit direction v", Cell::error, [](const R& p) { return py::cast(p.h); }},
      {"remainder", "|phi(x + h v) - phi(x) - h <g, v>|", Cell::error,
       [](const R& p) { return py::cast(p.remainder); }},
      {"floor", "the rounding level of that remainder (an estimate, with margin)", Cell::error,
       [](const R& p) { return py::cast(p.floor); }},
      {"fitted", "used in the slope fit", Cell::text, [](const R& p) { return py::cast(p.fitted); }},
  };
  return fields;
}

const std::vector<Field<TaylorReport>>& taylor_fields() {
  using R = TaylorReport;
  static const std::vector<Field<R>> fields = {
      {"label", "what was checked", Cell::text, [](const R& r) { return py::cast(r.label); }},
      {"shapes", "the inputs and their shapes", Cell::text, [](const R& r) { return py::cast(r.shapes); }},
      {"verdict", "'PASS' (slope near 2, or linear along v) or 'FAIL' (slope near 1)", Cell::text,
       [](const R& r) { return py::cast(check::to_string(r.result.verdict)); }},
      {"slope", "fitted slope of log remainder against log h (NaN when not fitted)", Cell::value,
       [](const R& r) { return py::cast(r.result.slope); }},
      {"fitted", "the number of points in the fit", Cell::text, [](const R& r) { return py::cast(r.result.fitted); }},
      {"linear", "the remainder is rounding noise at small h: phi is linear along v", Cell::text,
       [](const R& r) { return py::cast(r.result.linear); }},
      {"directional", "<g, v>, the analytic directional derivative", Cell::value,
       [](const R& r) { return py::cast(r.result.directional); }},
      {"note", "one line saying why", Cell::text, [](const R& r) { return py::cast(r.result.note); }},
      {"points", "one TaylorPoint per step, from the largest h to the smallest", Cell::text,
       [](const R& r) { return py::cast(r.result.points); }},
      {"ok", "True when the verdict is 'PASS'", Cell::text,
       [](const R& r) { return py::cast(r.result.verdict == check::Verdict::pass); }},
  };
  return fields;
}

// ---- what the tables make ------------------------------------------------------------------

// A field's value with nested reports turned into dicts and lists.
py::object plain(const py::object& value) {
  if (py::hasattr(value, "to_dict")) return value.attr("to_dict")();
  if (py::isinstance<py::list>(value)) {
    py::list out;
    for (py::handle item : value) out.append(plain(py::reinterpret_borrow<py::object>(item)));
    return out;
  }
  return value;
}

template <class T>
py::dict to_dict(const T& t, const std::vector<Field<T>>& fields) {
  py::dict d;
  for (const Field<T>& f : fields) d[f.name] = plain(f.get(t));
  return d;
}

// JSON has no NaN or infinity: they become null, as in gradlab's own JSON reports.
py::object json_ready(const py::handle& value) {
  if (py::isinstance<py::float_>(value)) {
    const double x = value.cast<double>();
    return std::isfinite(x) ? py::reinterpret_borrow<py::object>(value) : py::none();
  }
  if (py::isinstance<py::dict>(value)) {
    py::dict out;
    for (auto [k, v] : py::reinterpret_borrow<py::dict>(value)) out[k] = json_ready(v);
    return out;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    py::list out;
    for (py::handle item : value) out.append(json_ready(item));
    return out;
  }
  return py::reinterpret_borrow<py::object>(value);
}

template <class T>
std::string to_json(const T& t, const std::vector<Field<T>>& fields, const py::object& indent) {
  const py::dict d = to_dict(t, fields);
  return py::str(py::module_::import("json").attr("dumps")(json_ready(d), py::arg("indent") = indent));
}

std::string cell_text(const py::object& value, Cell cell) {
  switch (cell) {
    case Cell::error: return text::sci(value.cast<double>());
    case Cell::value: return text::sci(value.cast<double>(), 6);
    case Cell::text:
    case Cell::note: break;
  }
  return py::str(value);
}

// The rows as an aligned table, one column per field, and the notes of a row under it.
template <class T>
std::string table(const std::vector<T>& rows, const std::vector<Field<T>>& fields) {
  std::vector<std::string> headers;
  for (const Field<T>& f : fields)
    if (f.cell != Cell::note) headers.emplace_back(f.name);
  text::Table out(headers);
  for (const T& row : rows) {
    std::vector<std::string> cells, notes;
    for (const Field<T>& f : fields) {
      const std::string cell = cell_text(f.get(row), f.cell);
      if (f.cell != Cell::note) cells.push_back(cell);
      else if (!cell.empty() && cell != "None") notes.push_back(std::string(f.name) + ": " + cell);
    }
    const std::string first = cells.empty() ? std::string() : cells.front() + ": ";
    out.add_row(std::move(cells));
    for (const std::string& note : notes) out.add_note("^ " + first + note);
  }
  std::ostringstream s;
  out.print(s);
  std::string text = s.str();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Binds the table's fields as read-only attributes, plus to_dict() and to_json(indent=None).
template <class T>
py::class_<T> bind_class(py::module_& m, const char* name, const char* doc,
                         const std::vector<Field<T>>& fields) {
  py::class_<T> cls(m, name, doc);
  for (const Field<T>& f : fields)
    cls.def_property_readonly(f.name, [get = f.get](const T& t) { return get(t); }, f.doc);
  cls.def("to_dict", [&fields](const T& t) { return to_dict(t, fields); },
          "The fields as a dict (nested reports as dicts and lists).");
  cls.def("to_json", [&fields](const T& t, const py::object& indent) { return to_json(t, fields, indent); },
          py::arg("indent") = py::none(),
          "The fields as JSON text; NaN and infinite numbers are written as null.");
  return cls;
}

std::string contract_line(const check::ContractResult& c) {
  return c.holds() ? "contract: holds" : "contract: BROKEN: " + c.problem;
}

}  // namespace

void bind_reports(py::module_& m) {
  bind_class(m, "Diagnosis", "What kind of mistake a failing tensor shows (docs/checker.md).", diagnosis_fields())
      .def("__repr__", [](const check::Diagnosis& d) { return d.summary; });

  bind_class(m, "TensorReport", "The comparison of one gradient (or Jacobian) with finite differences.",
             tensor_fields())
      .def("__repr__", [](const TensorReport& t) { return table(std::vector{t}, tensor_fields()); });

  bind_class(m, "ContractReport", "Backward as a contract: assigned, repeatable, linear in G.",
             contract_fields())
      .def("__repr__", [](const ContractReport& c) { return contract_line(c.result); });

  bind_class(m, "CheckReport",
             "The result of check_vjp, check_jacobian or check_directional: one TensorReport per "
             "tensor, the contract, the verdict.",
             check_fields())
      .def("__repr__", [](const CheckReport& r) {
        const check::CheckResult& c = r.result;
        return c.label + " (" + c.shape + "): " + c.method + ", " + check::to_string(c.scheme) +
               " differences at step " + text::sci(c.step) + ", atol " + text::sci(r.tolerance.atol) +
               ", rtol " + text::sci(r.tolerance.rtol) + ": " + check::to_string(c.verdict()) + "\n" +
               table(r.tensors, tensor_fields()) + "\n" + contract_line(c.contract) +
               (std::isfinite(c.certified_error)
                    ? "\n" + std::to_string(r.tensors.empty() ? 0 : r.tensors[0].result.rows) +
                          " random directions catch a gradient error of relative size >= " +
                          text::sci(c.certified_error) + " with probability >= 1 - 1e-6"
                    : std::string());
      });

  bind_class(m, "TaylorPoint", "One step of the Taylor test.", taylor_point_fields())
      .def("__repr__", [](const check::TaylorPoint& p) { return table(std::vector{p}, taylor_point_fields()); });

  bind_class(m, "TaylorReport",
             "The result of taylor_test: the remainder at each step, the fitted slope, the verdict.",
             taylor_fields())
      .def("__repr__", [](const TaylorReport& r) {
        return "taylor_test of " + r.label + " (" + r.shapes + "): " +
               check::to_string(r.result.verdict) + ", " + r.result.note + "\n" +
               table(r.result.points, taylor_point_fields());
      });
}

}  // namespace gradlab::python
