#include "arrays.hpp"

#include <stdexcept>

namespace gradlab::python {

std::string shape_text(const Shape& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + (shape.size() == 1 ? ",)" : ")");
}

py::ssize_t element_count(const Shape& shape) {
  py::ssize_t n = 1;
  for (py::ssize_t extent : shape) n *= extent;
  return n;
}

arma::uword matrix_rows(const Shape& shape) {
  return shape.empty() ? 1 : static_cast<arma::uword>(shape.back());
}

arma::uword matrix_cols(const Shape& shape) {
  if (shape.empty()) return 1;
  py::ssize_t n = 1;
  for (std::size_t i = 0; i + 1 < shape.size(); ++i) n *= shape[i];
  return static_cast<arma::uword>(n);
}

py::tuple unravel(py::ssize_t i, const Shape& shape) {
  py::tuple index(shape.size());
  for (std::size_t k = shape.size(); k-- > 0;) {
    const py::ssize_t extent = shape[k] > 0 ? shape[k] : 1;
    index[k] = py::int_(i % extent);
    i /= extent;
  }
  return index;
}

Shape shape_of(const py::array& a) { return Shape(a.shape(), a.shape() + a.ndim()); }

py::array_t<double> float64_array(py::handle value, const std::string& who, const std::string& what,
                                  const std::string& why_float64) {
  py::array a;
  std::string origin;
  if (py::isinstance<py::array>(value)) {
    a = py::reinterpret_borrow<py::array>(value);
  } else {
    const std::string type = py::str(value.get_type().attr("__name__"));
    try {
      // Looked up once and kept to the end of the process (never released: the interpreter
      // may be gone when static objects are destroyed).
      static const py::handle asarray = py::object(py::module_::import("numpy").attr("asarray")).release();
      a = asarray(value);
    } catch (py::error_already_set& e) {
      // NumPy's refusal becomes ours; anything else (KeyboardInterrupt, MemoryError) goes on.
      if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_ValueError)) throw;
      throw py::type_error(who + ": " + what + " is a " + type + ", not an array of numbers");
    }
    origin = " (converted from a " + type + ")";
  }
  const py::dtype dtype = a.dtype();
  if (dtype.kind() != 'f' || dtype.itemsize() != 8) {
    const std::string name = py::str(py::reinterpret_borrow<py::object>(dtype));
    throw py::type_error(who + ": " + what + " is " + name + origin + ", not float64; " +
                         why_float64 + ". Convert it with .astype(numpy.float64)");
  }
  // float64 already, so forcecast only fixes the byte order and the layout.
  auto result = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!result) throw py::type_error(who + ": " + what + " cannot be read as a float64 array");
  return result;
}

std::unique_ptr<arma::mat> borrow(const py::array_t<double>& a) {
  const Shape shape = shape_of(a);
  // copy_aux_mem = false: the array's memory itself; strict = true: bound to it for life.
  return std::make_unique<arma::mat>(const_cast<double*>(a.data()), matrix_rows(shape),
                                     matrix_cols(shape), false, true);
}

py::array to_numpy(arma::mat&& m, const Shape& shape) {
  if (element_count(shape) != static_cast<py::ssize_t>(m.n_elem))
    throw std::logic_error("to_numpy: a " + std::to_string(m.n_rows) + "x" +
                           std::to_string(m.n_cols) + " matrix cannot be shaped " +
                           shape_text(shape));
  auto* held = new arma::mat(std::move(m));
  py::capsule owner(held, [](void* p) { delete static_cast<arma::mat*>(p); });
  return py::array_t<double>(shape, held->memptr(), owner);
}

}  // namespace gradlab::python
