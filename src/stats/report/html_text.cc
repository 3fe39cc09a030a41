#include "stats/report/html_text.h"

#include <charconv>
#include <cmath>

namespace autoscale {

namespace {

constexpr const char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0. `allowed`
// says whether HTML accepts the character it encodes.
size_t Utf8SequenceLength(std::string_view text, size_t i, bool* allowed) {
  *allowed = true;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t min_code;
  uint32_t code;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min_code = 0x80, code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min_code = 0x800, code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min_code = 0x10000, code = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid.
  if (code < min_code || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  // C1 controls and noncharacters are parse errors in HTML.
  *allowed = !((code >= 0x80 && code <= 0x9F) || (code >= 0xFDD0 && code <= 0xFDEF) ||
               (code & 0xFFFE) == 0xFFFE);
  return n;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; ++i; continue;
      case '<': out += "&lt;"; ++i; continue;
      case '>': out += "&gt;"; ++i; continue;
      case '"': out += "&quot;"; ++i; continue;
      case '\'': out += "&#39;"; ++i; continue;
      default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7F) {
      out += kReplacement;
      ++i;
      continue;
    }
    bool allowed = true;
    const size_t n = Utf8SequenceLength(text, i, &allowed);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (allowed) {
      out.append(text.data() + i, n);
    } else {
      out += kReplacement;
    }
    i += n;
  }
  return out;
}

}  // namespace autoscale
