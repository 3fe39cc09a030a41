#include "stats/readers/line_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace autoscale {

LineReader::LineReader(size_t max_line_bytes, size_t step_bytes)
    : max_line_(std::max<size_t>(max_line_bytes, 1)), step_(std::max<size_t>(step_bytes, 1)) {}

void LineReader::Reset(int fd, uint64_t file_size, uint64_t offset, uint64_t soft_end) {
  fd_ = fd;
  file_size_ = file_size;
  read_pos_ = std::min(offset, file_size);
  soft_end_ = std::min(soft_end, file_size);
  head_ = scan_ = tail_ = 0;
  skipping_ = false;
  stream_ = false;
  status_ = Status::Ok();
}

void LineReader::ResetStream(int fd) {
  Reset(fd, UINT64_MAX, 0, 0);
  stream_ = true;
}

size_t LineReader::MaxBufferBytes(size_t max_line_bytes, size_t step_bytes) {
  return std::max<size_t>(max_line_bytes, 1) + std::max<size_t>(step_bytes, 1);
}

LineReader::Line LineReader::Finish(const char* begin, const char* end, uint64_t offset) {
  if (end > begin && end[-1] == '\r') --end;
  if (offset == 0 && end - begin >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;
  Line line;
  line.text = std::string_view(begin, static_cast<size_t>(end - begin));
  line.offset = offset;
  return line;
}

bool LineReader::Next(Line* line) {
  while (true) {
    const char* data = buf_.data();
    const void* nl = scan_ < tail_ ? std::memchr(data + scan_, '\n', tail_ - scan_) : nullptr;
    if (nl) {
      const char* end = static_cast<const char*>(nl);
      const uint64_t start = offset();
      if (skipping_) {
        *line = Line{std::string_view(), skip_start_, true};
        skipping_ = false;
      } else if (static_cast<size_t>(end - (data + head_)) > max_line_) {
        *line = Line{std::string_view(), start, true};
      } else {
        *line = Finish(data + head_, end, start);
      }
      head_ = scan_ = static_cast<size_t>(end - data) + 1;
      return true;
    }
    scan_ = tail_;
    if (!skipping_ && tail_ - head_ > max_line_) {
      // Too long to hold: forget what was read, remember where it began.
      skipping_ = true;
      skip_start_ = offset();
      head_ = scan_ = tail_ = 0;
    }
    if (!Fill()) {
      if (!status_.ok()) return false;
      if (skipping_) {
        *line = Line{std::string_view(), skip_start_, true};
        skipping_ = false;
        head_ = scan_ = tail_;
        return true;
      }
      if (head_ < tail_) {
        *line = Finish(buf_.data() + head_, buf_.data() + tail_, offset());
        head_ = scan_ = tail_;
        return true;
      }
      return false;
    }
  }
}

bool LineReader::Fill() {
  if (read_pos_ >= file_size_) return false;
  if (skipping_) {
    head_ = scan_ = tail_ = 0;
  } else if (head_ > 0) {
    std::memmove(buf_.data(), buf_.data() + head_, tail_ - head_);
    scan_ -= head_;
    tail_ -= head_;
    head_ = 0;
  }
  uint64_t want = read_pos_ < soft_end_ ? soft_end_ - read_pos_ : step_;
  want = std::min<uint64_t>(want, file_size_ - read_pos_);
  // Never hold more than a longest line plus one step, whatever the chunk.
  want = std::min<uint64_t>(want, max_line_ + step_ - std::min(tail_, max_line_));
  want = std::max<uint64_t>(want, 1);
  if (buf_.size() < tail_ + want) buf_.resize(tail_ + static_cast<size_t>(want));
  while (true) {
    ssize_t n = stream_ ? ::read(fd_, buf_.data() + tail_, static_cast<size_t>(want))
                        : ::pread(fd_, buf_.data() + tail_, static_cast<size_t>(want),
                                  static_cast<off_t>(read_pos_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = Status::Error(std::string("read failed: ") + std::strerror(errno));
      return false;
    }
    if (n == 0) {
      file_size_ = read_pos_;  // the end of a stream, or the file shrank while being read
      return false;
    }
    tail_ += static_cast<size_t>(n);
    read_pos_ += static_cast<uint64_t>(n);
    return true;
  }
}

}  // namespace autoscale
