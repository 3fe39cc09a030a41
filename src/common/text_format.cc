#include "common/text_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace autoscale {

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "n/a";
  std::string s(buf, end);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string FormatPercent(double share, int decimals) {
  const std::string s = FormatFixed(share * 100.0, decimals);
  return s == "n/a" ? s : s + "%";
}

std::string FormatShare(double share) {
  if (share > 0 && share < 0.0005) return "<0.1%";
  if (share < 1 && share >= 0.9995) return ">99.9%";
  return FormatPercent(share, 1);
}

std::string FormatCount(uint64_t count) {
  std::string digits = std::to_string(count);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatCost(double cost) {
  if (!std::isfinite(cost)) return FormatFixed(cost, 0);
  if (cost >= 10000) return FormatCount(static_cast<uint64_t>(std::llround(cost)));
  if (cost >= 100) return FormatFixed(cost, 1);
  if (cost >= 1) return FormatFixed(cost, 2);
  return FormatFixed(cost, 4);
}

std::string FormatCompact(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, value >= 100 && value < 1e6 ? "%.0f" : "%.4g", value);
  return buf;
}

namespace {

// The code point of the valid UTF-8 sequence at text[i] and its length; 0
// when the bytes there are not UTF-8.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  size_t n;
  uint32_t min_code;
  if (c < 0x80) {
    *code = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, min_code = 0x80, *code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min_code = 0x800, *code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min_code = 0x10000, *code = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    *code = (*code << 6) | (byte(i + k) & 0x3F);
  }
  if (*code < min_code || (*code >= 0xD800 && *code <= 0xDFFF) || *code > 0x10FFFF) return 0;
  return n;
}

// Characters that change how the text around them is shown.
bool Hidden(uint32_t code) {
  return code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == 0x2028 || code == 0x2029 ||
         (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) ||
         code == 0x200E || code == 0x200F || code == 0x061C;
}

}  // namespace

std::string PrintableText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[16];
  for (size_t i = 0; i < text.size();) {
    uint32_t code = 0;
    const size_t n = DecodeUtf8(text, i, &code);
    if (n == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i]));
      out += buf;
      ++i;
      continue;
    }
    if (!Hidden(code)) {
      out.append(text.data() + i, n);
    } else if (code == '\n') {
      out += "\\n";
    } else if (code == '\r') {
      out += "\\r";
    } else if (code == '\t') {
      out += "\\t";
    } else if (code < 0x100) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(code));
      out += buf;
    } else {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(code));
      out += buf;
    }
    i += n;
  }
  return out;
}

}  // namespace autoscale
