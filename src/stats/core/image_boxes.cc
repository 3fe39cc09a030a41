#include "stats/core/image_boxes.h"

#include <algorithm>
#include <tuple>

namespace autoscale {

namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(const std::string& in, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(in[(*pos)++]);
    *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace

std::string EncodeImageBoxes(std::vector<runtime::Item> boxes) {
  std::sort(boxes.begin(), boxes.end(), [](const runtime::Item& a, const runtime::Item& b) {
    return std::tie(a.w, a.h) < std::tie(b.w, b.h);
  });
  std::string out;
  out.reserve(boxes.size() * 2);
  int64_t w = 0, h = 0;
  for (const runtime::Item& b : boxes) {
    PutVarint(static_cast<uint64_t>(b.w - w), &out);
    PutVarint(ZigZag(b.h - h), &out);
    w = b.w;
    h = b.h;
  }
  return out;
}

Result<std::vector<runtime::Item>> DecodeImageBoxes(const std::string& key) {
  std::vector<runtime::Item> boxes;
  size_t pos = 0;
  int64_t w = 0, h = 0;
  while (pos < key.size()) {
    uint64_t dw = 0, dh = 0;
    if (!GetVarint(key, &pos, &dw) || !GetVarint(key, &pos, &dh))
      return Status::Error("truncated box list");
    w += static_cast<int64_t>(dw);
    h += UnZigZag(dh);
    if (w < 1 || h < 1) return Status::Error("box size out of range");
    boxes.push_back({h, w});
  }
  return boxes;
}

std::string ToHex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const uint8_t b = static_cast<uint8_t>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Result<std::string> FromHex(const std::string& hex) {
  if (hex.size() % 2) return Status::Error("odd number of hex digits");
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return Status::Error("not a hex digit in \"" + hex + "\"");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace autoscale
