#pragma once
// What the checker finds in a gallery network: where the bisection puts the bug (find_bug), where
// the error sits entry by entry (locate_error, drawn as the heatmaps), and whether one checker
// setting of the kill matrix catches the bug (caught_by).
#include "net.hpp"

#include "gradlab/check/checker.hpp"

#include <string>

namespace lab_bug_gallery {

// Where the bisection found the bug and what it is.
struct Finding {
  std::string where = "-";  // "linear 2: dX", or "network: dW1" when no stage fails alone
  gradlab::check::Diagnosis diagnosis;
};

// Bisection: when the network fails (network: the default check of the whole network), each
// stage is checked alone on the input the failing run gave it, in forward order; the first that
// fails is where the bug is. A bug that shows only across backward calls of the whole network
// (state kept in its gradient buffers) is diagnosed on the network.
Finding find_bug(const BugInfo& info, const gradlab::data::Dataset& batch, std::uint64_t seed,
                 const gradlab::check::CheckResult& network);

// Where the error sits: |analytic - numeric| element by element, every tensor, from a fresh
// network; the worst tensor (largest max |a - n| / max |n|) is kept, with the relative error of
// each entry. second_call (when the contract broke: state kept between calls): from the SECOND
// backward call, since the first one is right by construction and the second is what training
// uses.
struct ErrorMap {
  std::string tensor;      // "dW2"
  std::string at;          // its worst element, "(row,column)"
  bool second_call = false;
  double error = 0.0;      // max |a - n| / max(1e-3, max |n|) over the tensor
  arma::mat diff, rel;     // |a - n| and the checker's relative error, entry by entry
};
ErrorMap locate_error(const BugInfo& info, const gradlab::data::Dataset& batch, std::uint64_t seed,
                      bool second_call, const gradlab::check::Options& o);

// One checker setting of the kill matrix.
struct Setting {
  std::string label;
  enum Kind { vjp, directional, taylor } kind = vjp;
  gradlab::check::Scheme scheme = gradlab::check::Scheme::central;
  double step = 0.0;
  bool in_float = false;
};

// Whether setting s fails the network of info on batch.
bool caught_by(const Setting& s, const BugInfo& info, const gradlab::data::Dataset& batch, std::uint64_t seed);

}  // namespace lab_bug_gallery
