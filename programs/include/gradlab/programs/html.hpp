#pragma once
// Text placed in the HTML pages the programs write (make-index's out/index.html, grade's
// summary.html): &, <, > and " escaped.
#include <string>

namespace gradlab {

std::string html_escape(const std::string& text);

}  // namespace gradlab
