#pragma once
// gradlab.ops: the reference ops of lib/include/gradlab/ops/ on NumPy arrays, samples in rows.
#include <pybind11/pybind11.h>

namespace gradlab::python {

void bind_ops(pybind11::module_& m);

}  // namespace gradlab::python
