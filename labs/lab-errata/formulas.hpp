#pragma once
// Every derivative formula the five reports print, implemented as printed where it can be read
// unambiguously, and checked numerically against the function it claims to differentiate; each
// formula that fails is checked again in its corrected form (the one gradlab implements, taken
// from gradlab::ops where one exists).
#include "compare.hpp"

#include "gradlab/random.hpp"

#include <vector>

namespace lab_errata {

// One row per formula, every input drawn from rng, in a fixed order: the reports' sections one
// after the other.
std::vector<Row> check_formulas(gradlab::Rng& rng);

}  // namespace lab_errata
