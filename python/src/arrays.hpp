#pragma once
// NumPy arrays and gradlab's matrices: one rule for the checker and the ops.
//
// A NumPy array is row-major, an Armadillo matrix column-major, so the same memory read both
// ways is a matrix and its transpose. The binding uses that memory as it is: an array of shape
// (..., n) is the n x (size / n) matrix whose columns are the array's last-axis slices, in C
// order. A 2-D array of shape (r, c) is therefore gradlab's c x r matrix, its transpose: a batch
// with samples in rows (NumPy's habit) is a batch with samples in columns (gradlab's). A 1-D
// array of n entries is an n x 1 column (one sample, or a bias), a 0-d array is 1 x 1.
//
// Element i of the matrix (column-major) is element i of the array in C order, so an element
// the checker perturbs or reports is the same element of the user's array.
#include <armadillo>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

namespace gradlab::python {

namespace py = pybind11;

using Shape = std::vector<py::ssize_t>;

// "(4, 3)", "(5,)", "()": a shape as Python prints it.
std::string shape_text(const Shape& shape);

// The matrix shape that reads an array of this shape in place: (last axis, the rest).
arma::uword matrix_rows(const Shape& shape);
arma::uword matrix_cols(const Shape& shape);

// The number of elements of an array of this shape.
py::ssize_t element_count(const Shape& shape);

// The index of flat element i (C order) in an array of this shape, as a tuple.
py::tuple unravel(py::ssize_t i, const Shape& shape);

// `value` as a C-contiguous float64 array, or a TypeError that begins with `who`, names `what`
// and gives `why_float64`, the reason the caller needs float64. Python floats and lists of
// floats are accepted; integer, boolean, complex, float32 and other dtypes are refused, never
// converted.
py::array_t<double> float64_array(py::handle value, const std::string& who, const std::string& what,
                                  const std::string& why_float64);

// The shape of an array.
Shape shape_of(const py::array& a);

// A matrix reading the array's memory in place (no copy), bound to it for its whole life: an
// assignment of the same size writes into the array, a change of size throws. The array must
// outlive the matrix and be C-contiguous float64 (float64_array's result). On the heap, because
// moving a matrix that borrows memory may copy it.
std::unique_ptr<arma::mat> borrow(const py::array_t<double>& a);

// A new array of this shape that owns the matrix's memory (no copy); the shape must hold
// exactly m.n_elem elements.
py::array to_numpy(arma::mat&& m, const Shape& shape);

}  // namespace gradlab::python
