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

// Closes the descriptor on every path out.
struct FileHandle {
  int fd = -1;
  ~FileHandle() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<LineNumbers> ForEachLineInChunks(
    const std::string& path, int workers, const LineChunking& chunking, ProgressScope* progress,
    const std::function<void(int worker, const ChunkedLine& line)>& on_line) {
  FileHandle file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(file.fd, &st) != 0)
    return Status::Error(path + ": cannot stat: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::Error(path + ": is a directory, expected a file");
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
  RunWorkers(std::max(1, std::min<int>(workers, static_cast<int>(std::max<size_t>(chunks, 1)))),
             [&](int worker) {
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
  });
  if (!error.ok()) return error;
  return LineNumbers(std::move(lines_per_chunk));
}

}  // namespace autoscale
