// Reads a large line-oriented file on several threads: the file is cut into
// fixed-size chunks that workers take in turn; each line belongs to the chunk
// its first byte lies in, so every line is seen exactly once whatever the
// chunk size or thread count. Each worker holds one bounded buffer, and the
// workers together at most max_bytes_in_flight. A stream (a pipe, a FIFO, a
// character device, "-" for standard input) is read once to its end on one
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/progress.h"

namespace autoscale {

struct LineChunking {
  // Bytes of the file a worker takes at a time; clamped to [1, 1 GiB].
  // Default 4 MiB: large enough that per-chunk costs vanish, small enough
  // that two workers share the end of a file evenly.
  size_t chunk_bytes = 4 << 20;
  // Longer lines are passed on as too_long, without their text, and never
  // held in memory. Default 64 MiB.
  size_t max_line_bytes = 64 << 20;
  // The most the workers' buffers hold together: fewer workers run than
  // asked when each could hold a longest line (max_line_bytes plus a read
  // step), at least one. Default 512 MiB (7 workers with 64 MiB lines).
  uint64_t max_bytes_in_flight = uint64_t{512} << 20;
};

// The worker threads ForEachLineInChunks runs for `requested` threads (0: one
// per core) under `chunking`'s byte budget; on_line's worker is below it.
int LineWorkerCount(int requested, const LineChunking& chunking);

struct ChunkedLine {
  // Without line end and, for the file's first line, without a UTF-8 BOM.
  std::string_view text;
  size_t chunk = 0;    // the chunk the line starts in
  uint32_t index = 0;  // its position among the lines of that chunk, from 0
  bool too_long = false;
};

// Turns (chunk, index) into a line number once every chunk's lines are counted.
class LineNumbers {
 public:
  explicit LineNumbers(std::vector<uint64_t> lines_per_chunk);
  // 1-based line number in the file.
  uint64_t LineNumber(size_t chunk, uint32_t index) const { return first_[chunk] + index; }
  uint64_t total_lines() const { return total_; }
  // The bytes the workers' buffers grew to, summed: never above the budget
  // (LineChunking::max_bytes_in_flight) unless one worker alone needs more.
  uint64_t buffer_bytes = 0;

 private:
  std::vector<uint64_t> first_;
  uint64_t total_ = 0;
};

// Calls on_line(worker, line) for every line of the file at `path`, on
// LineWorkerCount(workers, chunking) threads (worker is 0..that-1; a worker
// sees its lines in file order). `path` "-" is standard input; a stream's
// lines all go to worker 0, numbered in chunks of 2^20 lines. Advances
// `progress` (may be null) by each chunk's line count. Errors name the path:
// missing, a directory, unreadable, a read failure.
Result<LineNumbers> ForEachLineInChunks(
    const std::string& path, int workers, const LineChunking& chunking, ProgressScope* progress,
    const std::function<void(int worker, const ChunkedLine& line)>& on_line);

}  // namespace autoscale
