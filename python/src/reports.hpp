#pragma once
// The checker's results as Python objects: gradlab.CheckReport (one per check) with its
// gradlab.TensorReport list and gradlab.ContractReport, and gradlab.TaylorReport with its
// gradlab.TaylorPoint list.
//
// Each class lists its fields once, in a table (reports.cpp): the table makes the read-only
// attributes, the repr's columns and to_dict / to_json, so a field added to the table appears in
// all four. Shapes and element indices are NumPy's (arrays.hpp), never gradlab's matrices'.
#include "arrays.hpp"

#include "gradlab/check/checker.hpp"
#include "gradlab/check/taylor.hpp"

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::python {

struct TensorReport {
  check::TensorResult result;
  Shape shape;            // the compared tensor's shape, as NumPy sees it
  py::tuple worst_index;  // the worst element's index in that shape
};

struct ContractReport {
  check::ContractResult result;
};

struct CheckReport {
  check::CheckResult result;
  std::vector<TensorReport> tensors;
  check::Tolerance tolerance;
  std::uint64_t seed = 1;
};

struct TaylorReport {
  check::TaylorResult result;
  std::string label, shapes;
};

// Registers the classes in module m.
void bind_reports(py::module_& m);

}  // namespace gradlab::python
