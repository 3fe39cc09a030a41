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

}  // namespace autoscale
