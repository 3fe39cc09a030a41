// Walks the members of a tar archive (POSIX ustar, with GNU long names and
// pax `path` records) held in memory, without copying or extracting them:
// each member's data is a view into the archive. The input is untrusted:
// every header's checksum is verified and every size is checked against the
// bytes that are there, so a broken archive ends the walk with a reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace autoscale {

struct TarMember {
  std::string name;  // the path inside the archive
  const uint8_t* data = nullptr;
  uint64_t size = 0;
  uint64_t offset = 0;   // of the member's header in the archive
  bool regular = false;  // a regular file (not a folder, link or device)
};

class TarWalker {
 public:
  TarWalker(const void* data, size_t size)
      : data_(static_cast<const uint8_t*>(data)), size_(size) {}

  // The next member (pax and GNU long-name records are applied, not
  // returned); false at the end of the archive or when it is broken, then
  // error() says why ("member at byte N: ...").
  bool Next(TarMember* member);
  const std::string& error() const { return error_; }
  // Members returned so far.
  uint64_t count() const { return count_; }

 private:
  bool Fail(uint64_t at, const std::string& why);

  const uint8_t* data_;
  size_t size_;
  uint64_t pos_ = 0;
  uint64_t count_ = 0;
  bool done_ = false;
  std::string error_;
};

// True when the first 512 bytes are a tar header (the ustar magic and a
// valid checksum). For telling file formats apart.
bool LooksLikeTarHeader(const void* data, size_t size);

}  // namespace autoscale
