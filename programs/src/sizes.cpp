#include "gradlab/programs/sizes.hpp"

#include <sstream>
#include <stdexcept>

namespace gradlab {

std::vector<arma::uword> parse_sizes(const std::string& text, const std::string& option) {
  std::vector<arma::uword> sizes;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, '-')) {
    std::size_t used = 0;
    unsigned long value = 0;
    try {
      value = std::stoul(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (part.empty() || used != part.size() || value == 0 || part[0] == '+')
      throw std::invalid_argument(option + " '" + text +
                                  "' does not parse: give positive sizes joined by '-', e.g. 784-100-10");
    sizes.push_back(value);
  }
  if (sizes.size() < 2)
    throw std::invalid_argument(option + " '" + text + "' needs at least an input and an output size");
  return sizes;
}

}  // namespace gradlab
