#pragma once
#include <pybind11/pybind11.h>

namespace gradlab::python {

// gradlab.exercises: names(), function_of(name), grade(name, function), grade_reference(name).
void bind_exercises(pybind11::module_& m);

}  // namespace gradlab::python
