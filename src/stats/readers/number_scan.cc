#include "stats/readers/number_scan.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace autoscale {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Case-insensitive match of `word` at p; returns the end of it or nullptr.
const char* MatchWord(const char* p, const char* end, const char* word) {
  size_t n = std::strlen(word);
  if (static_cast<size_t>(end - p) < n) return nullptr;
  for (size_t i = 0; i < n; ++i)
    if (Lower(p[i]) != word[i]) return nullptr;
  return p + n;
}

}  // namespace

const char* ScanNumber(const char* p, const char* end, double* value) {
  const char* start = p;
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  if (p < end && !IsDigit(*p) && *p != '.') {
    const char* q;
    if ((q = MatchWord(p, end, "infinity")) || (q = MatchWord(p, end, "inf"))) {
      *value = negative ? -INFINITY : INFINITY;
      return q;
    }
    if ((q = MatchWord(p, end, "nan"))) {
      *value = NAN;
      return q;
    }
    return nullptr;
  }
  // Fast path: plain integers, the common case in label files.
  const char* digits = p;
  uint64_t whole = 0;
  while (p < end && IsDigit(*p)) whole = whole * 10 + static_cast<uint64_t>(*p++ - '0');
  size_t int_digits = static_cast<size_t>(p - digits);
  bool simple = int_digits > 0 && int_digits <= 15;
  size_t frac_digits = 0;
  if (p < end && *p == '.') {
    simple = false;
    ++p;
    while (p < end && IsDigit(*p)) ++p, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return nullptr;
  bool negative_exponent = false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    if (q < end && (*q == '+' || *q == '-')) negative_exponent = *q++ == '-';
    if (q < end && IsDigit(*q)) {
      simple = false;
      while (q < end && IsDigit(*q)) ++q;
      p = q;
    }
  }
  if (simple) {
    *value = negative ? -static_cast<double>(whole) : static_cast<double>(whole);
    return p;
  }
  // from_chars takes neither a '+' nor a leading '.', so hand it "0.5" style
  // text only when needed.
  const char* text = (*start == '+') ? start + 1 : start;
  double v = 0;
  auto r = std::from_chars(text, p, v);
  if (r.ec == std::errc() && r.ptr == p) {
    *value = v;
    return p;
  }
  if (r.ec == std::errc::result_out_of_range) {
    *value = negative_exponent ? (negative ? -0.0 : 0.0) : (negative ? -INFINITY : INFINITY);
    return p;
  }
  // A leading '.' (".5", "-.5"): from_chars wants a digit first.
  char buf[128];
  size_t len = static_cast<size_t>(p - text);
  if (len + 1 >= sizeof buf) {
    *value = NAN;
    return p;
  }
  size_t k = 0;
  if (*text == '-') buf[k++] = '-', ++text, --len;
  buf[k++] = '0';
  std::memcpy(buf + k, text, len);
  r = std::from_chars(buf, buf + k + len, v);
  if (r.ec == std::errc::result_out_of_range)
    v = negative_exponent ? (negative ? -0.0 : 0.0) : (negative ? -INFINITY : INFINITY);
  *value = v;
  return p;
}

}  // namespace autoscale
