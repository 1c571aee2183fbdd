#pragma once
// A network's layer sizes as the programs take them: "784-100-10".
#include <armadillo>

#include <string>
#include <vector>

namespace gradlab {

// The positive sizes of `text`, joined by '-', at least two (an input and an output). Throws
// std::invalid_argument naming `option` (e.g. "--arch") and the text when it does not parse.
std::vector<arma::uword> parse_sizes(const std::string& text, const std::string& option);

}  // namespace gradlab
