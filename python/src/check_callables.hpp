#pragma once
// gradlab.check_vjp, check_jacobian, check_directional and taylor_test: the checker on a Python
// forward and backward over a dict of named NumPy arrays.
#include <pybind11/pybind11.h>

namespace gradlab::python {

void bind_checks(pybind11::module_& m);

}  // namespace gradlab::python
