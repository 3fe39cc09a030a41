#include "stats/readers/line_chunker.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "stats/readers/annotation_test_files.h"

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

}  // namespace
}  // namespace autoscale
