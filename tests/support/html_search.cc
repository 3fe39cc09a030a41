#include "support/html_search.h"

namespace autoscale::test {

size_t CountOf(const std::string& text, const std::string& what) {
  if (what.empty()) return 0;
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string SvgElementById(const std::string& html, const std::string& id) {
  const size_t start = html.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  const size_t end = html.find("</svg>", start);
  return end == std::string::npos ? html.substr(start) : html.substr(start, end - start);
}

}  // namespace autoscale::test
