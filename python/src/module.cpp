// The Python module gradlab: the checker on Python callables (check_callables.cpp), its reports
// (reports.cpp) and the reference ops as gradlab.ops (ops.cpp). docs/python.md is its guide.
#include "check_callables.hpp"
#include "grading.hpp"
#include "ops.hpp"
#include "reports.hpp"

#include <pybind11/pybind11.h>

PYBIND11_MODULE(gradlab, m) {
  namespace py = pybind11;
  m.doc() =
      "gradlab: finite-difference gradient checks of NumPy forward and backward functions, and "
      "gradlab's reference ops (gradlab.ops). Arrays are float64; a 2-D array is gradlab's matrix "
      "transposed, so samples are rows. See docs/python.md.";
  m.attr("__version__") = GRADLAB_VERSION;
  gradlab::python::bind_reports(m);
  gradlab::python::bind_checks(m);
  py::module_ ops = m.def_submodule("ops", "gradlab's reference ops, forward and backward, on NumPy "
                                           "arrays with samples in rows (docs/python.md).");
  gradlab::python::bind_ops(ops);
  // `import gradlab.ops` and `from gradlab.ops import relu_forward` find the submodule.
  py::module_::import("sys").attr("modules")["gradlab.ops"] = ops;
#ifdef GRADLAB_PYTHON_EXERCISES
  py::module_ exercises = m.def_submodule(
      "exercises", "the exercises' grader on NumPy functions (exercises/README.md)");
  gradlab::python::bind_exercises(exercises);
  py::module_::import("sys").attr("modules")["gradlab.exercises"] = exercises;
#endif
}
