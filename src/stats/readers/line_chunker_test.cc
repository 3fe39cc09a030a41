#include "stats/readers/line_chunker.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "stats/readers/annotation_test_files.h"
#include "stats/readers/line_reader.h"

namespace autoscale {
namespace {

using annotation_test::TempDir;
using annotation_test::WriteFile;

TEST_CASE("LineNumbers numbers lines across chunks from 1", "[line_chunker]") {
  const LineNumbers numbers({2, 0, 3});
  CHECK(numbers.total_lines() == 5);
  CHECK(numbers.LineNumber(0, 0) == 1);
  CHECK(numbers.LineNumber(0, 1) == 2);
  CHECK(numbers.LineNumber(2, 0) == 3);
  CHECK(numbers.LineNumber(2, 2) == 5);
}

// Every line of the file with its line number, read with `chunk_bytes`
// chunks on `workers` threads.
std::map<uint64_t, std::string> ReadNumbered(const std::string& path, size_t chunk_bytes,
                                             int workers, size_t max_line = 64) {
  LineChunking chunking;
  chunking.chunk_bytes = chunk_bytes;
  chunking.max_line_bytes = max_line;
  std::vector<std::vector<ChunkedLine>> seen(static_cast<size_t>(workers));
  std::vector<std::vector<std::string>> texts(static_cast<size_t>(workers));
  auto numbers = ForEachLineInChunks(
      path, workers, chunking, nullptr, [&](int worker, const ChunkedLine& line) {
        seen[worker].push_back(line);
        texts[worker].emplace_back(line.too_long ? "(too long)" : line.text);
      });
  REQUIRE(numbers.ok());
  std::map<uint64_t, std::string> out;
  for (size_t w = 0; w < seen.size(); ++w)
    for (size_t i = 0; i < seen[w].size(); ++i) {
      const uint64_t n = numbers->LineNumber(seen[w][i].chunk, seen[w][i].index);
      CHECK(out.emplace(n, texts[w][i]).second);  // each line once
    }
  CHECK(out.size() == numbers->total_lines());
  return out;
}

TEST_CASE("every line is seen once with its number, whatever the chunking", "[line_chunker]") {
  TempDir dir("line_chunker");
  const std::string path = dir.File("f.txt");
  WriteFile(path,
            "\xEF\xBB\xBF"
            "first\r\nsecond\n\nfourth line is longer\r\n" +
                std::string(100, 'x') + "\nlast");
  const std::map<uint64_t, std::string> want = {{1, "first"},      {2, "second"},
                                                {3, ""},           {4, "fourth line is longer"},
                                                {5, "(too long)"}, {6, "last"}};
  for (size_t chunk : {1, 2, 5, 7, 16, 4096})
    for (int workers : {1, 3}) {
      INFO("chunk " << chunk << ", workers " << workers);
      CHECK(ReadNumbered(path, chunk, workers) == want);
    }
}

TEST_CASE("line chunker errors name the path", "[line_chunker]") {
  TempDir dir("line_chunker");
  auto missing = ForEachLineInChunks(dir.File("none.txt"), 1, LineChunking(), nullptr,
                                     [](int, const ChunkedLine&) {});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.message(), Catch::Contains("none.txt: cannot open"));
  auto folder =
      ForEachLineInChunks(dir.File(""), 1, LineChunking(), nullptr, [](int, const ChunkedLine&) {});
  REQUIRE_FALSE(folder.ok());
  CHECK_THAT(folder.message(), Catch::Contains("is a directory"));
}

TEST_CASE("a FIFO is read to its end, whatever its size says", "[line_chunker]") {
  TempDir dir("line_chunker");
  const std::string fifo = dir.File("labels.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // More lines than one stream chunk holds, so that the numbering crosses it.
  const size_t lines = (size_t{1} << 20) + 3;
  std::thread writer([&] {
    std::string text;
    for (size_t i = 0; i < lines; ++i) text += std::to_string(i) + "\n";
    WriteFile(fifo, text);
  });
  uint64_t count = 0;
  bool in_order = true;
  auto numbers = ForEachLineInChunks(
      fifo, 4, LineChunking(), nullptr, [&](int worker, const ChunkedLine& line) {
        in_order = in_order && worker == 0 && line.text == std::to_string(count);
        ++count;
      });
  writer.join();
  REQUIRE(numbers.ok());
  CHECK(in_order);
  CHECK(count == lines);
  CHECK(numbers->total_lines() == lines);
  CHECK(numbers->LineNumber(1, 2) == lines);
}

TEST_CASE("the workers' buffers stay within the byte budget whatever the threads",
          "[line_chunker]") {
  TempDir dir("line_chunker");
  const std::string path = dir.File("long_lines.txt");
  std::string text;
  for (int i = 0; i < 64; ++i) text += std::string(6000, static_cast<char>('a' + i % 26)) + "\n";
  WriteFile(path, text);
  LineChunking chunking;
  chunking.chunk_bytes = 512;  // every line crosses chunks: each worker holds a whole one
  chunking.max_line_bytes = 8192;
  const uint64_t per_worker = LineReader::MaxBufferBytes(8192, LineReader::kDefaultStepBytes);
  chunking.max_bytes_in_flight = 3 * per_worker;
  CHECK(LineWorkerCount(1024, chunking) == 3);
  std::atomic<uint64_t> seen{0}, whole{0};
  std::atomic<int> most_worker{0};
  auto numbers =
      ForEachLineInChunks(path, 1024, chunking, nullptr, [&](int worker, const ChunkedLine& line) {
        if (line.text.size() == 6000) ++whole;
        int m = most_worker;
        while (worker > m && !most_worker.compare_exchange_weak(m, worker)) {
        }
        ++seen;
      });
  REQUIRE(numbers.ok());
  CHECK(seen == 64);
  CHECK(whole == 64);
  CHECK(most_worker < 3);
  CHECK(numbers->buffer_bytes > 0);
  CHECK(numbers->buffer_bytes <= chunking.max_bytes_in_flight);
}

}  // namespace
}  // namespace autoscale
