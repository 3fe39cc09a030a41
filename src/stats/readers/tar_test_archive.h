// ustar archives built in memory, for the tar reader's tests and the
// container benchmark: a header block, a member with its padding, an archive
// with its end blocks. Header-only; not part of the library.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace autoscale::tar_test {

// A ustar header block for a member.
inline std::string TarHeader(const std::string& name, size_t size, char type = '0') {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), std::min<size_t>(name.size(), 100));
  std::memcpy(&h[100], "0000644", 7);
  std::memcpy(&h[108], "0000000", 7);
  std::memcpy(&h[116], "0000000", 7);
  std::snprintf(&h[124], 12, "%011llo", static_cast<unsigned long long>(size));
  std::memcpy(&h[136], "00000000000", 11);
  h[156] = type;
  std::memcpy(&h[257],
              "ustar\0"
              "00",
              8);
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(&h[148], 8, "%06o", sum);
  return h;
}

// A member: its header, its bytes, padding to a block.
inline std::string TarMemberBytes(const std::string& name, const std::string& data,
                                  char type = '0') {
  std::string out = TarHeader(name, data.size(), type) + data;
  out.resize((out.size() + 511) / 512 * 512, '\0');
  return out;
}

// An archive of (name, bytes) members with the two end blocks.
inline std::string TarArchive(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out;
  for (const auto& [name, data] : members) out += TarMemberBytes(name, data);
  return out + std::string(1024, '\0');
}

}  // namespace autoscale::tar_test
