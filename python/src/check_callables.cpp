// The checker on Python callables: check_vjp, check_jacobian, check_directional, taylor_test.
//
// The named arrays are copied once into arrays the binding owns; gradlab's matrices read those
// arrays' memory in place (arrays.hpp), so when the checker perturbs an element, the forward sees
// it through read-only views of the same arrays, with no copy per call. The forward's result is
// copied into a matrix (it is small: an output or a loss), and the upstream gradient G is handed
// to backward as a fresh array of the output's shape.
//
// Every problem with what the user passed or returned raises TypeError (a wrong type or dtype)
// or ValueError (a wrong shape, missing or extra names, non-finite values), starting with the
// check's name and naming the function, the tensor and the shapes. An exception raised inside
// the user's forward or backward propagates unchanged, with its traceback.
#include "check_callables.hpp"

#include "arrays.hpp"
#include "reports.hpp"

#include "gradlab/check/checker.hpp"
#include "gradlab/check/taylor.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <set>

#include <pybind11/stl.h>

namespace gradlab::python {

namespace {

const char* const why_float64 =
    "gradient checks need float64: a central difference at step 1e-5 carries a rounding error of "
    "about eps / 1e-5 relative, 2e-11 in float64 but 1e-2 in float32 (eps 1.2e-7), far above the "
    "tolerance of 1e-6, so right gradients would FAIL";

// A function's name as its definition reads: "backward", "Net.backward" (a method); the
// enclosing function of a nested definition is left out.
std::string name_of(const py::handle& f) {
  for (const char* attribute : {"__qualname__", "__name__"}) {
    if (!py::hasattr(f, attribute)) continue;
    const std::string name = py::str(f.attr(attribute));
    const std::string::size_type nested = name.rfind("<locals>.");
    return nested == std::string::npos ? name : name.substr(nested + 9);
  }
  return py::str(py::repr(f));
}

// The first non-finite element of a float64 array, if any.
std::optional<py::ssize_t> first_non_finite(const py::array_t<double>& a) {
  const double* data = a.data();
  for (py::ssize_t i = 0; i < a.size(); ++i)
    if (!std::isfinite(data[i])) return i;
  return std::nullopt;
}

py::ssize_t count_non_finite(const py::array_t<double>& a) {
  const double* data = a.data();
  return std::count_if(data, data + a.size(), [](double x) { return !std::isfinite(x); });
}

// A Python forward and backward over named float64 arrays, as gradlab::check::Differentiable.
class PyFunction {
 public:
  PyFunction(const std::string& who, py::object forward, py::object backward, const py::handle& inputs)
      : who_(who), forward_(std::move(forward)), backward_(std::move(backward)) {
    require_callable("forward", forward_);
    require_callable("backward", backward_);
    forward_name_ = name_of(forward_);
    backward_name_ = name_of(backward_);
    if (!py::isinstance<py::dict>(inputs))
      throw py::type_error(who_ + ": the inputs must be a dict of named float64 arrays, not a " +
                           std::string(py::str(inputs.get_type().attr("__name__"))));
    const auto dict = py::reinterpret_borrow<py::dict>(inputs);
    if (dict.empty()) throw py::value_error(who_ + ": the inputs dict is empty: nothing to check");
    for (auto [key, value] : dict) {
      if (!py::isinstance<py::str>(key))
        throw py::type_error(who_ + ": input names must be strings, not " + std::string(py::repr(key)));
      add_input(key.cast<std::string>(), value);
    }
    // The output's shape, dtype and finiteness at the given inputs.
    const py::array_t<double> Y = call_forward();
    output_shape_ = shape_of(Y);
    if (Y.size() == 0)
      throw py::value_error(who_ + ": forward " + forward_name_ + " returned an empty array " +
                            shape_text(output_shape_));
    if (const auto i = first_non_finite(Y))
      throw py::value_error(who_ + ": forward " + forward_name_ + " returned " +
                            std::to_string(count_non_finite(Y)) + " non-finite values at the given "
                            "inputs (the first at index " + std::string(py::str(unravel(*i, output_shape_))) +
                            " of its shape " + shape_text(output_shape_) + "): there is nothing to difference");
  }

  check::Differentiable differentiable(const std::shared_ptr<PyFunction>& self) const {
    check::Differentiable fn;
    for (std::size_t t = 0; t < names_.size(); ++t) fn.inputs.emplace_back(names_[t], matrices_[t].get());
    // The pointer is not owned here: fn.owner keeps the function alive.
    PyFunction* f = self.get();
    fn.forward = [f] { return f->forward(); };
    fn.backward = [f](const arma::mat& G) { return f->backward(G); };
    fn.owner = self;
    return fn;
  }

  // "W (4, 3), b (4,), X (5, 3)"
  std::string shapes() const {
    std::string text;
    for (std::size_t t = 0; t < names_.size(); ++t)
      text += (t > 0 ? ", " : "") + names_[t] + " " + shape_text(shapes_[t]);
    return text;
  }

  const std::string& forward_name() const { return forward_name_; }
  const std::vector<Shape>& input_shapes() const { return shapes_; }
  const Shape& output_shape() const { return output_shape_; }

 private:
  void require_callable(const char* role, const py::object& f) const {
    if (!PyCallable_Check(f.ptr()))
      throw py::type_error(who_ + ": " + role + " must be callable, not a " +
                           std::string(py::str(f.get_type().attr("__name__"))));
  }

  void add_input(const std::string& name, const py::handle& value) {
    const std::string what = "input '" + name + "'";
    const py::array_t<double> given = float64_array(value, who_, what, why_float64);
    const Shape shape = shape_of(given);
    if (given.size() == 0)
      throw py::value_error(who_ + ": " + what + " is empty (shape " + shape_text(shape) + ")");
    if (const auto i = first_non_finite(given))
      throw py::value_error(who_ + ": " + what + " of shape " + shape_text(shape) + " has " +
                            std::to_string(count_non_finite(given)) + " non-finite values (the first at " +
                            std::string(py::str(unravel(*i, shape))) +
                            "): finite differences need finite inputs");
    // A copy the binding owns, read in place by the matrix; the forward sees it read-only.
    py::array_t<double> owned(shape);
    std::copy(given.data(), given.data() + given.size(), owned.mutable_data());
    py::array view = owned.attr("view")();
    view.attr("setflags")(py::arg("write") = false);
    names_.push_back(name);
    shapes_.push_back(shape);
    matrices_.push_back(borrow(owned));
    arrays_.push_back(owned);
    views_[py::str(name)] = view;
  }

  py::array_t<double> call_forward() const { return output_array(forward_(**views_)); }

  py::array_t<double> output_array(const py::object& y) const {
    return float64_array(y, who_, "the result of forward " + forward_name_, why_float64);
  }

  arma::mat forward() const {
    const py::object y = forward_(**views_);
    // A scalar output given as a float (numpy.float64 is one) needs no array.
    if (output_shape_.empty() && PyFloat_Check(y.ptr()))
      return arma::mat(1, 1, arma::fill::value(PyFloat_AS_DOUBLE(y.ptr())));
    const py::array_t<double> Y = output_array(y);
    if (shape_of(Y) != output_shape_)
      throw py::value_error(who_ + ": forward " + forward_name_ + " returned shape " +
                            shape_text(shape_of(Y)) + ", but " + shape_text(output_shape_) +
                            " on its first call: its output's shape must not change as the inputs move");
    return arma::mat(Y.data(), matrix_rows(output_shape_), matrix_cols(output_shape_));
  }

  std::vector<arma::mat> backward(const arma::mat& G) const {
    const py::object result = backward_(to_numpy(arma::mat(G), output_shape_), **views_);
    const std::string from = who_ + ": backward " + backward_name_;
    if (!py::isinstance<py::dict>(result))
      throw py::type_error(from + " returned a " + std::string(py::str(result.get_type().attr("__name__"))) +
                           "; it must return a dict of gradients keyed by the inputs' names " + names_text());
    const auto grads = py::reinterpret_borrow<py::dict>(result);
    require_names(from, grads);
    std::vector<arma::mat> out;
    for (std::size_t t = 0; t < names_.size(); ++t) {
      const std::string& name = names_[t];
      const py::array_t<double> g =
          float64_array(grads[py::str(name)], who_, "gradient '" + name + "' from backward " + backward_name_,
                        why_float64);
      if (shape_of(g) != shapes_[t])
        throw py::value_error(from + " returned '" + name + "' of shape " + shape_text(shape_of(g)) +
                              " but input '" + name + "' has shape " + shape_text(shapes_[t]));
      out.emplace_back(g.data(), matrices_[t]->n_rows, matrices_[t]->n_cols);
    }
    return out;
  }

  // The dict's keys are exactly the inputs' names.
  void require_names(const std::string& from, const py::dict& grads) const {
    std::set<std::string> expected(names_.begin(), names_.end()), missing = expected, unexpected;
    for (auto [key, value] : grads) {
      const std::string k = py::isinstance<py::str>(key) ? key.cast<std::string>() : std::string(py::repr(key));
      if (!expected.count(k) || !py::isinstance<py::str>(key)) unexpected.insert(k);
      missing.erase(k);
    }
    if (missing.empty() && unexpected.empty()) return;
    auto list = [](const std::set<std::string>& s) {
      std::string text;
      for (const std::string& k : s) text += (text.empty() ? "'" : ", '") + k + "'";
      return text;
    };
    std::string why;
    if (!missing.empty()) why += "missing " + list(missing);
    if (!unexpected.empty()) why += (why.empty() ? "" : "; ") + std::string("unexpected ") + list(unexpected);
    throw py::value_error(from + " returned the wrong keys: " + why + " (the inputs are " + names_text() + ")");
  }

  std::string names_text() const {
    std::string text = "[";
    for (std::size_t t = 0; t < names_.size(); ++t) text += (t > 0 ? ", '" : "'") + names_[t] + "'";
    return text + "]";
  }

  std::string who_;
  py::object forward_, backward_;
  std::string forward_name_, backward_name_;
  std::vector<std::string> names_;
  std::vector<Shape> shapes_;
  std::vector<py::array_t<double>> arrays_;          // the owned copies
  std::vector<std::unique_ptr<arma::mat>> matrices_;  // reading arrays_ in place
  py::dict views_;                                    // name -> read-only view: the arguments
  Shape output_shape_;
};

// ---- options --------------------------------------------------------------------------------

check::Options options_from(const std::string& who, const std::string& scheme, std::optional<double> step,
                            std::optional<double> atol, std::optional<double> rtol, std::uint64_t seed) {
  check::Options o;
  if (scheme == "central") o.scheme = check::Scheme::central;
  else if (scheme == "forward") o.scheme = check::Scheme::forward;
  else throw py::value_error(who + ": scheme '" + scheme + "' is neither 'central' nor 'forward'");
  if (step) {
    if (!(*step > 0.0 && *step < 1.0))
      throw py::value_error(who + ": step " + std::string(py::str(py::float_(*step))) + " is outside (0, 1)");
    o.step = *step;
  }
  if (atol || rtol) {
    check::Tolerance tol = o.effective_tolerance();
    tol.atol = atol.value_or(tol.atol);
    tol.rtol = rtol.value_or(tol.rtol);
    if (!(tol.atol >= 0.0 && tol.rtol > 0.0 && std::isfinite(tol.atol) && std::isfinite(tol.rtol)))
      throw py::value_error(who + ": atol " + std::string(py::str(py::float_(tol.atol))) + " and rtol " +
                            std::string(py::str(py::float_(tol.rtol))) +
                            ": the tolerance needs atol >= 0 and rtol > 0, both finite");
    o.tolerance = tol;
  }
  o.seed = seed;
  return o;
}

// ---- the reports in NumPy's terms -----------------------------------------------------------

CheckReport report(check::CheckResult r, const PyFunction& f, const std::string& label,
                   const check::Options& o) {
  r.label = label.empty() ? f.forward_name() : label;
  r.shape = f.shapes();
  CheckReport out;
  const py::ssize_t outputs = element_count(f.output_shape());
  for (std::size_t t = 0; t < r.tensors.size(); ++t) {
    const check::TensorResult& tr = r.tensors[t];
    if (r.method == "vjp") {
      // The matrix's element (row, col) is the array's flat element row + col * rows, C order.
      const Shape& shape = f.input_shapes()[t];
      out.tensors.push_back(
          {tr, shape, unravel(static_cast<py::ssize_t>(tr.worst_row + tr.worst_col * tr.rows), shape)});
    } else if (r.method == "jacobian") {
      // Row k: the output's flat element k; column i: the input's flat element i (C order).
      out.tensors.push_back({tr, {outputs, element_count(f.input_shapes()[t])},
                             py::make_tuple(tr.worst_row, tr.worst_col)});
    } else {  // directional: one entry per direction
      out.tensors.push_back({tr, {static_cast<py::ssize_t>(tr.rows)}, py::make_tuple(tr.worst_row)});
    }
  }
  out.result = std::move(r);
  out.tolerance = o.effective_tolerance();
  out.seed = o.seed;
  return out;
}

using Run = std::function<check::CheckResult(const check::Differentiable&, const check::Options&)>;

// What check_vjp, check_jacobian and check_directional share: the options, the function, the report.
CheckReport run_check(const char* who, const Run& run, const py::object& forward, const py::object& backward,
                      const py::object& inputs, const std::string& scheme, std::optional<double> step,
                      std::optional<double> atol, std::optional<double> rtol, std::uint64_t seed,
                      std::optional<arma::uword> batch, const std::string& label) {
  const check::Options o = options_from(who, scheme, step, atol, rtol, seed);
  if (batch && *batch == 0) throw py::value_error(std::string(who) + ": batch = 0 must be positive");
  auto f = std::make_shared<PyFunction>(who, forward, backward, inputs);
  check::Differentiable fn = f->differentiable(f);
  fn.batch = batch.value_or(0);
  return report(run(fn, o), *f, label, o);
}

// Defines a check with the signature (forward, backward, inputs, *, <extra>, scheme, step, atol,
// rtol, seed, batch, label).
template <class F, class... Extra>
void def_check(py::module_& m, const char* name, F&& f, const char* doc, Extra&&... extra) {
  m.def(name, std::forward<F>(f), py::arg("forward"), py::arg("backward"), py::arg("inputs"), py::kw_only(),
        std::forward<Extra>(extra)..., py::arg("scheme") = "central", py::arg("step") = py::none(),
        py::arg("atol") = py::none(), py::arg("rtol") = py::none(), py::arg("seed") = 1,
        py::arg("batch") = py::none(), py::arg("label") = "", doc);
}

// The Python function of a check without options of its own: run_check with `run`.
auto check_function(const char* who, Run run) {
  return [who, run](const py::object& forward, const py::object& backward, const py::object& inputs,
                    const std::string& scheme, std::optional<double> step, std::optional<double> atol,
                    std::optional<double> rtol, std::uint64_t seed, std::optional<arma::uword> batch,
                    const std::string& label) {
    return run_check(who, run, forward, backward, inputs, scheme, step, atol, rtol, seed, batch, label);
  };
}

}  // namespace

void bind_checks(py::module_& m) {
  def_check(
      m, "check_vjp",
      check_function("check_vjp", [](const auto& fn, const auto& o) { return check::check_vjp(fn, o); }),
      R"(Checks backward against finite differences, element by element.

forward(**inputs) returns an array Y (or a float); backward(G, **inputs) returns a dict with one
gradient per input, the gradient of sum(G * Y) with respect to it, of the input's shape. G is
drawn at random (from seed) with Y's shape. Every element of every input is moved by
+-step * max(1, |x|) and the change of sum(G * Y) compared with the gradient. Also checks the
contract: backward run twice gives the same numbers, and is linear in G.

inputs: a dict of named float64 arrays of any shape (copied; the originals are never touched).
forward and backward receive them as read-only arrays of the same shapes.
scheme: 'central' or 'forward'; step: relative step (default 1e-5 central, 1e-8 forward);
atol, rtol: an element passes when |a - n| <= atol + rtol |n| (default 1e-9, 1e-6 central;
1e-7, 1e-4 forward); seed: draws G; batch: the samples in the batch, so that a diagnosis can
name a scale of B or 1/B (default: the output's rows when it has more than one; give it for a
loss); label: the name in the report (default: forward's name).
Returns a CheckReport.)");

  def_check(
      m, "check_jacobian",
      check_function("check_jacobian", [](const auto& fn, const auto& o) { return check::check_jacobian(fn, o); }),
      R"(Compares the whole Jacobian of Y with respect to each input, for small functions.

Analytic row k is backward(e_k) (e_k: 1 at Y's flat element k, C order); numeric column i is the
finite difference for the input's flat element i. The tensors are named 'J[W]', of shape
(Y.size, W.size). Same arguments as check_vjp. Returns a CheckReport.)");

  def_check(
      m, "check_directional",
      [](const py::object& forward, const py::object& backward, const py::object& inputs, int directions,
         const std::string& scheme, std::optional<double> step, std::optional<double> atol,
         std::optional<double> rtol, std::uint64_t seed, std::optional<arma::uword> batch,
         const std::string& label) {
        if (directions <= 0)
          throw py::value_error("check_directional: directions = " + std::to_string(directions) +
                                " must be positive");
        return run_check(
            "check_directional",
            [directions](const auto& fn, const auto& o) { return check::check_directional(fn, directions, o); },
            forward, backward, inputs, scheme, step, atol, rtol, seed, batch, label);
      },
      R"(The fast mode for large inputs: `directions` random unit vectors v over all inputs at once.

Each compares <gradient, v> with the finite difference of sum(G * Y) along v: one backward in
all, two forwards per direction, whatever the number of elements. The tensor is 'directions',
of shape (directions,). Same arguments as check_vjp. Returns a CheckReport.)",
      py::arg("directions") = 8);

  m.def(
      "taylor_test",
      [](const py::object& forward, const py::object& backward, const py::object& inputs, double h_max,
         double h_min, int points_per_decade, int fit_points, double pass_slope, std::uint64_t seed,
         const std::string& label) {
        check::TaylorOptions o;
        o.h_max = h_max;
        o.h_min = h_min;
        o.points_per_decade = points_per_decade;
        o.fit_points = fit_points;
        o.pass_slope = pass_slope;
        o.seed = seed;
        auto f = std::make_shared<PyFunction>("taylor_test", forward, backward, inputs);
        return TaylorReport{check::taylor_test(f->differentiable(f), o),
                            label.empty() ? f->forward_name() : label, f->shapes()};
      },
      py::arg("forward"), py::arg("backward"), py::arg("inputs"), py::kw_only(), py::arg("h_max") = 1e-1,
      py::arg("h_min") = 1e-7, py::arg("points_per_decade") = 2, py::arg("fit_points") = 5,
      py::arg("pass_slope") = 1.5, py::arg("seed") = 1, py::arg("label") = "",
      R"(The Taylor test: a verdict with no step to choose.

For phi(x) = sum(G * forward(x)) and a random unit direction v over all inputs, the remainder
|phi(x + h v) - phi(x) - h <g, v>| falls as h^2 when backward's g is right (slope 2 on a log-log
plot) and as h when it is wrong (slope 1). The slope is fitted over the smallest steps clear of
rounding; PASS when it is at least pass_slope. Same forward, backward and inputs as check_vjp;
steps from h_max down to h_min, points_per_decade per decade, at most fit_points in the fit.
Returns a TaylorReport.)");
}

}  // namespace gradlab::python
