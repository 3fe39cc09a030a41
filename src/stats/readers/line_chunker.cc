#include "stats/readers/line_chunker.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "stats/readers/line_reader.h"
#include "common/parallel_workers.h"

namespace autoscale {

LineNumbers::LineNumbers(std::vector<uint64_t> lines_per_chunk) {
  first_.resize(lines_per_chunk.size());
  uint64_t next = 1;
  for (size_t c = 0; c < lines_per_chunk.size(); ++c) {
    first_[c] = next;
    next += lines_per_chunk[c];
  }
  total_ = next - 1;
}

namespace {

// Closes the descriptor on every path out (standard input is left open).
struct FileHandle {
  int fd = -1;
  bool owned = true;
  ~FileHandle() {
    if (fd >= 0 && owned) ::close(fd);
  }
};

// Lines of a stream per chunk number, so that indices fit 32 bits.
constexpr int kStreamChunkShift = 20;

// A stream read to its end on the calling thread as worker 0.
Result<LineNumbers> ForEachStreamLine(
    const std::string& path, int fd, const LineChunking& chunking, ProgressScope* progress,
    const std::function<void(int worker, const ChunkedLine& line)>& on_line) {
  LineReader reader(chunking.max_line_bytes);
  reader.ResetStream(fd);
  std::vector<uint64_t> lines_per_chunk;
  LineReader::Line line;
  uint64_t n = 0;
  while (reader.Next(&line)) {
    const size_t chunk = static_cast<size_t>(n >> kStreamChunkShift);
    const uint32_t index = static_cast<uint32_t>(n & ((uint64_t{1} << kStreamChunkShift) - 1));
    if (chunk == lines_per_chunk.size()) lines_per_chunk.push_back(0);
    lines_per_chunk[chunk]++;
    on_line(0, ChunkedLine{line.text, chunk, index, line.too_long});
    if ((++n & 4095) == 0 && progress) progress->Advance(4096);
  }
  if (progress) progress->Advance(n & 4095);
  if (!reader.status().ok()) return Status::Error(path + ": " + reader.status().message());
  LineNumbers numbers(std::move(lines_per_chunk));
  numbers.buffer_bytes = reader.buffer_bytes();
  return numbers;
}

}  // namespace

int LineWorkerCount(int requested, const LineChunking& chunking) {
  return WorkersWithinBudget(
      WorkerCount(requested, 0), chunking.max_bytes_in_flight,
      LineReader::MaxBufferBytes(chunking.max_line_bytes, LineReader::kDefaultStepBytes));
}

Result<LineNumbers> ForEachLineInChunks(
    const std::string& path, int workers, const LineChunking& chunking, ProgressScope* progress,
    const std::function<void(int worker, const ChunkedLine& line)>& on_line) {
  FileHandle file;
  if (path == "-") {
    file.fd = STDIN_FILENO;
    file.owned = false;
  } else {
    file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (file.fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(file.fd, &st) != 0)
    return Status::Error(path + ": cannot stat: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::Error(path + ": is a directory, expected a file");
  // Its size says nothing (0 for a pipe or a device): read it to its end.
  if (!S_ISREG(st.st_mode) || path == "-")
    return ForEachStreamLine(path, file.fd, chunking, progress, on_line);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  ::posix_fadvise(file.fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  // Chunk and line indices must fit the 32-bit halves readers pack them in.
  uint64_t chunk = std::clamp<uint64_t>(chunking.chunk_bytes, 1, uint64_t{1} << 30);
  chunk = std::max<uint64_t>(chunk, (size >> 31) + 1);
  const size_t chunks = static_cast<size_t>((size + chunk - 1) / chunk);
  std::vector<uint64_t> lines_per_chunk(chunks, 0);

  std::atomic<size_t> next_chunk{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  Status error;
  std::atomic<uint64_t> buffer_bytes{0};
  const int threads =
      std::min<int>(LineWorkerCount(workers, chunking),
                    static_cast<int>(std::min<size_t>(std::max<size_t>(chunks, 1), INT32_MAX)));
  RunWorkers(threads, [&](int worker) {
    LineReader reader(chunking.max_line_bytes);
    LineReader::Line line;
    auto record_failure = [&] {
      failed = true;
      std::lock_guard<std::mutex> lock(error_mutex);
      error = Status::Error(path + ": " + reader.status().message());
    };
    for (size_t c; !failed.load(std::memory_order_relaxed) &&
                   (c = next_chunk.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
      const uint64_t begin = c * chunk, end = std::min(size, begin + chunk);
      // Start one byte early: if that byte ends a line, a line starts at begin.
      reader.Reset(file.fd, size, begin == 0 ? 0 : begin - 1, end);
      if (begin > 0 && !reader.Next(&line)) {
        if (!reader.status().ok()) record_failure();
        continue;
      }
      uint32_t index = 0;
      while (reader.offset() < end && reader.Next(&line)) {
        on_line(worker, ChunkedLine{line.text, c, index++, line.too_long});
      }
      if (!reader.status().ok()) record_failure();
      lines_per_chunk[c] = index;
      if (progress) progress->Advance(index);
    }
    buffer_bytes += reader.buffer_bytes();
  });
  if (!error.ok()) return error;
  LineNumbers numbers(std::move(lines_per_chunk));
  numbers.buffer_bytes = buffer_bytes;
  return numbers;
}

}  // namespace autoscale
