#pragma once
// The checker's reports as people and programs read them: one aligned row per tensor, or JSON.
#include "gradlab/check/gradcheck.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <vector>

namespace gradlab::check {

// Columns: check, shapes, method, tensor, shape, checked, max rel err, max abs err, worst
// (index: analytic vs numeric), pass, kink, fail, contract, verdict.
void print_table(std::ostream& out, const std::vector<CheckReport>& reports);

nlohmann::json to_json(const TensorReport& tensor);
nlohmann::json to_json(const CheckReport& report);

}  // namespace gradlab::check
