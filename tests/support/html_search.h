// Plain-text searches over an HTML page or a serialized DOM, for tests of the
// report.
#pragma once

#include <cstddef>
#include <string>

namespace autoscale::test {

// How many times `what` occurs in `text` (overlaps included).
size_t CountOf(const std::string& text, const std::string& what);

// The text of the element <svg id="id" ...> up to its </svg>, or "".
std::string SvgElementById(const std::string& html, const std::string& id);

}  // namespace autoscale::test
