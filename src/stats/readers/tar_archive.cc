#include "stats/readers/tar_archive.h"

#include <cstring>

namespace autoscale {

namespace {

constexpr size_t kBlock = 512;

// An octal field (spaces and NULs around the digits), or a base-256 one
// (the first byte's high bit set). False when it is neither.
bool ParseNumber(const uint8_t* field, size_t n, uint64_t* value) {
  *value = 0;
  if (field[0] & 0x80) {
    if (field[0] != 0x80) return false;  // negative or larger than 2^63
    for (size_t i = 1; i < n; ++i) {
      if (*value >> 55) return false;
      *value = (*value << 8) | field[i];
    }
    return true;
  }
  size_t i = 0;
  while (i < n && field[i] == ' ') ++i;
  bool digits = false;
  for (; i < n && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (*value >> 60) return false;
    *value = (*value << 3) | static_cast<uint64_t>(field[i] - '0');
    digits = true;
  }
  for (; i < n; ++i)
    if (field[i] != ' ' && field[i] != '\0') return false;
  return digits;
}

bool ChecksumOk(const uint8_t* h) {
  uint64_t stored = 0;
  if (!ParseNumber(h + 148, 8, &stored)) return false;
  // Every byte, with the checksum field counted as spaces (a plain sum the
  // compiler vectorises, then the field corrected).
  uint32_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i) sum += h[i];
  for (size_t i = 148; i < 156; ++i) sum += static_cast<uint32_t>(' ') - h[i];
  return sum == stored;
}

bool AllZero(const uint8_t* h) {
  for (size_t i = 0; i < kBlock; ++i)
    if (h[i] != 0) return false;
  return true;
}

std::string Field(const uint8_t* p, size_t n) {
  const void* nul = std::memchr(p, 0, n);
  return std::string(reinterpret_cast<const char*>(p),
                     nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - p) : n);
}

// The `path` record of a pax extended header ("<len> path=<value>\n" ...);
// empty when there is none or the records are malformed.
std::string PaxPath(const uint8_t* data, uint64_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    size_t len = 0, i = 0;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && len < rest.size())
      len = len * 10 + static_cast<size_t>(rest[i++] - '0');
    if (i == 0 || i >= rest.size() || rest[i] != ' ' || len <= i + 1 || len > rest.size())
      return "";
    std::string_view record = rest.substr(i + 1, len - i - 1);
    if (!record.empty() && record.back() == '\n') record.remove_suffix(1);
    if (record.substr(0, 5) == "path=") return std::string(record.substr(5));
    rest.remove_prefix(len);
  }
  return "";
}

}  // namespace

bool LooksLikeTarHeader(const void* data, size_t size) {
  if (size < kBlock) return false;
  const auto* h = static_cast<const uint8_t*>(data);
  return std::memcmp(h + 257, "ustar", 5) == 0 && ChecksumOk(h);
}

bool TarWalker::Fail(uint64_t at, const std::string& why) {
  error_ = "member at byte " + std::to_string(at) + ": " + why;
  done_ = true;
  return false;
}

bool TarWalker::Next(TarMember* member) {
  std::string long_name;
  while (!done_) {
    const uint64_t at = pos_;
    if (size_ - pos_ < kBlock) {
      if (pos_ == size_) {  // no end-of-archive blocks: accepted, as tar does
        done_ = true;
        return false;
      }
      return Fail(at, "truncated header (" + std::to_string(size_ - pos_) + " bytes)");
    }
    const uint8_t* h = data_ + pos_;
    if (AllZero(h)) {
      done_ = true;
      return false;
    }
    if (!ChecksumOk(h)) return Fail(at, "bad header checksum");
    uint64_t size = 0;
    if (!ParseNumber(h + 124, 12, &size)) return Fail(at, "bad size field");
    const uint64_t data_at = pos_ + kBlock;
    if (size > size_ - data_at)
      return Fail(at, "member of " + std::to_string(size) + " bytes runs past the end (" +
                          std::to_string(size_ - data_at) + " left)");
    const uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;
    pos_ = data_at + padded > size_ ? size_ : data_at + padded;
    const char type = static_cast<char>(h[156]);
    if (type == 'L') {  // GNU: the next member's name
      long_name = Field(data_ + data_at, size);
      continue;
    }
    if (type == 'x') {  // pax: records for the next member
      std::string path = PaxPath(data_ + data_at, size);
      if (!path.empty()) long_name = std::move(path);
      continue;
    }
    if (type == 'g' || type == 'K') continue;  // global pax records, GNU long link names
    std::string name = long_name;
    if (name.empty()) {
      name = Field(h, 100);
      if (std::memcmp(h + 257, "ustar\0", 6) == 0) {
        const std::string prefix = Field(h + 345, 155);
        if (!prefix.empty()) name = prefix + "/" + name;
      }
    }
    member->name = std::move(name);
    member->data = data_ + data_at;
    member->size = size;
    member->offset = at;
    member->regular = type == '0' || type == '\0' || type == '7';
    ++count_;
    return true;
  }
  return false;
}

}  // namespace autoscale
