// Reads the lines of a file, or of a stretch of it, through one bounded
// buffer: memory stays flat however large the file is (unlike reading it
// whole or mapping it), and a line longer than the limit is reported and
// skipped rather than held.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace autoscale {

class LineReader {
 public:
  struct Line {
    // Without its line end ("\n" or "\r\n") and, at offset 0, without a
    // UTF-8 byte order mark. Empty when too_long.
    std::string_view text;
    uint64_t offset = 0;    // file offset of the line's first byte
    bool too_long = false;  // longer than max_line_bytes; its text was dropped
  };

  // `max_line_bytes`: longer lines come back too_long. `step_bytes`: how much
  // is read at a time past `soft_end` (see Reset).
  static constexpr size_t kDefaultStepBytes = 64 << 10;
  explicit LineReader(size_t max_line_bytes = 64 << 20, size_t step_bytes = kDefaultStepBytes);

  // Starts reading the open file `fd` of `file_size` bytes at `offset`. The
  // first reads go up to `soft_end` at once (a chunk); past it the reader
  // only reads `step_bytes` at a time, to finish the line that crosses it.
  // The buffer is kept across calls.
  void Reset(int fd, uint64_t file_size, uint64_t offset, uint64_t soft_end);
  // Starts reading a stream (pipe, FIFO, terminal, any file whose size is
  // unknown) from where it stands to its end, `step_bytes` at a time, with
  // read() rather than pread(). Offsets count from the first byte read.
  void ResetStream(int fd);

  // The next line; false at the end of the file or on a read error (then
  // status() says why). The text stays valid until the next call.
  bool Next(Line* line);

  // The file offset of the next line's first byte.
  uint64_t offset() const { return read_pos_ - (tail_ - head_); }
  const Status& status() const { return status_; }
  // Bytes the buffer holds now; never more than max_line_bytes plus a step
  // beyond the largest soft_end - offset asked for.
  size_t buffer_bytes() const { return buf_.size(); }
  // The most buffer_bytes() can reach with these limits, whatever is read.
  static size_t MaxBufferBytes(size_t max_line_bytes, size_t step_bytes);

 private:
  // Reads more bytes after tail_; false at the end of the file or on error.
  bool Fill();
  Line Finish(const char* begin, const char* end, uint64_t offset);

  size_t max_line_;
  size_t step_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  uint64_t soft_end_ = 0;
  uint64_t read_pos_ = 0;  // file offset of buf_[tail_]
  std::vector<char> buf_;
  size_t head_ = 0;        // first unconsumed byte
  size_t scan_ = 0;        // bytes before this were searched for '\n' already
  size_t tail_ = 0;        // end of the bytes read
  bool skipping_ = false;  // inside a line that is too long
  bool stream_ = false;    // read() from where the stream stands, not pread()
  uint64_t skip_start_ = 0;
  Status status_;
};

}  // namespace autoscale
