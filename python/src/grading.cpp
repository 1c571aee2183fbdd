// gradlab.exercises: the exercises' grader on NumPy functions (exercises/grader/exercises.hpp).
// The NumPy twin of an exercise takes and returns arrays of the same shapes as its C++ file
// (features x samples: a 2-D array of shape (D, B) is the D x B matrix, copied; vectors are 1-D
// arrays, labels 1-D integer arrays, scalars Python floats), so the equations read the same in
// both languages. exercises/grader/runner.py calls grade() in a process of its own.
#include "grading.hpp"

#include "grader/exercises.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

namespace gradlab::python {

namespace py = pybind11;

namespace {

py::object to_python(const exercises::Value& v) {
  const arma::mat& m = v.value;
  switch (v.kind) {
    case exercises::Kind::scalar: return py::float_(m(0));
    case exercises::Kind::labels: {
      py::array_t<long long> a(static_cast<py::ssize_t>(m.n_elem));
      for (arma::uword i = 0; i < m.n_elem; ++i) a.mutable_at(i) = static_cast<long long>(m(i));
      return a;
    }
    case exercises::Kind::vector: {
      py::array_t<double> a(static_cast<py::ssize_t>(m.n_elem));
      for (arma::uword i = 0; i < m.n_elem; ++i) a.mutable_at(i) = m(i);
      return a;
    }
    case exercises::Kind::matrix: break;
  }
  py::array_t<double> a({static_cast<py::ssize_t>(m.n_rows), static_cast<py::ssize_t>(m.n_cols)});
  for (arma::uword i = 0; i < m.n_rows; ++i)
    for (arma::uword j = 0; j < m.n_cols; ++j) a.mutable_at(i, j) = m(i, j);
  return a;
}

// One returned array as a matrix: 2-D (r, c) is r x c, 1-D (n,) is an n x 1 column.
arma::mat from_python(py::handle value, const std::string& function, const std::string& name) {
  const py::array_t<double, py::array::forcecast> a =
      py::array_t<double, py::array::forcecast>::ensure(value);
  if (!a || (a.ndim() != 1 && a.ndim() != 2)) {
    const std::string what = a ? std::to_string(a.ndim()) + "-D array" : std::string(py::str(py::type::of(value).attr("__name__")));
    throw exercises::WrongShape(function + " returned " + name + " as a " + what +
                                "; a 2-D array (or 1-D for a vector) is expected");
  }
  const arma::uword rows = static_cast<arma::uword>(a.shape(0));
  const arma::uword cols = a.ndim() == 2 ? static_cast<arma::uword>(a.shape(1)) : 1;
  arma::mat m(rows, cols);
  for (arma::uword i = 0; i < rows; ++i)
    for (arma::uword j = 0; j < cols; ++j) m(i, j) = a.ndim() == 2 ? a.at(i, j) : a.at(i);
  return m;
}

// A Python exception as one line: "ValueError: ... (line 12)".
std::string one_line(py::error_already_set& e) {
  std::string text = std::string(py::str(e.type().attr("__name__"))) + ": " + std::string(py::str(e.value()));
  try {
    py::object frames = py::module_::import("traceback").attr("extract_tb")(e.trace());
    if (py::len(frames) > 0)
      text += " (" + std::string(py::str(frames[py::int_(-1)].attr("filename"))) + ", line " +
              std::string(py::str(frames[py::int_(-1)].attr("lineno"))) + ")";
  } catch (py::error_already_set&) {  // no traceback: the message alone
  }
  return text;
}

exercises::Student student_of(const exercises::Exercise& e, py::object fn) {
  return [&e, fn](const exercises::Arguments& arguments) {
    py::tuple args(arguments.size());
    for (std::size_t i = 0; i < arguments.size(); ++i) args[i] = to_python(arguments[i]);
    py::object result;
    try {
      result = fn(*args);
    } catch (py::error_already_set& x) {
      if (x.matches(PyExc_NotImplementedError)) throw exercises::NotImplemented(one_line(x));
      throw std::runtime_error(one_line(x));
    }
    exercises::Answer answer;
    if (e.outputs.size() == 1) {
      answer.push_back(from_python(result, e.function, e.outputs[0]));
    } else {
      if (!py::isinstance<py::tuple>(result) && !py::isinstance<py::list>(result))
        throw exercises::WrongShape(e.function + " must return a tuple of " +
                                    std::to_string(e.outputs.size()) + " arrays");
      const py::sequence items = result;
      for (std::size_t i = 0; i < py::len(items); ++i)
        answer.push_back(from_python(items[i], e.function,
                                     i < e.outputs.size() ? e.outputs[i] : "output " + std::to_string(i)));
    }
    return answer;
  };
}

const exercises::Exercise& named(const std::string& name) {
  const exercises::Exercise* e = exercises::find(name);
  if (!e) throw py::value_error("no exercise '" + name + "' (the exercises: " + exercises::names() + ")");
  return *e;
}

}  // namespace

void bind_exercises(py::module_& m) {
  m.def("names", [] {
    py::list list;
    for (const exercises::Exercise& e : exercises::all()) list.append(e.name);
    return list;
  }, "The exercises' names.");
  m.def("function_of", [](const std::string& name) { return named(name).function; }, py::arg("name"),
        "The name of the function exercise NAME asks for, e.g. 'tanh_backward'.");
  m.def("grade", [](const std::string& name, py::object fn) {
    const exercises::Exercise& e = named(name);
    return to_json(e.grade(student_of(e, std::move(fn)))).dump();
  }, py::arg("name"), py::arg("function"),
        "Grades FUNCTION as the answer to exercise NAME; returns the grade as a JSON string "
        "(status todo / pass / fail, the diagnosis, a message, the check).");
  m.def("grade_reference", [](const std::string& name) {
    const exercises::Exercise& e = named(name);
    return to_json(e.grade(e.reference)).dump();
  }, py::arg("name"), "Grades the library's own op for exercise NAME (it passes).");
}

}  // namespace gradlab::python
