#pragma once
// The checker's reports as people and programs read them: one aligned row per tensor, or JSON.
#include "gradlab/check/checker.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <vector>

namespace gradlab::check {

// Columns: check, shapes, method, tensor, shape, checked, max rel err, max abs err, worst
// (index: analytic vs numeric), pass, kink, fail, contract, verdict; under a failing tensor's
// row, its diagnosis in one line; under the table, every broken contract.
void print_table(std::ostream& out, const std::vector<CheckResult>& reports);

nlohmann::json to_json(const Diagnosis& diagnosis);  // null when there is none
nlohmann::json to_json(const TensorResult& tensor);
nlohmann::json to_json(const CheckResult& report);

}  // namespace gradlab::check
