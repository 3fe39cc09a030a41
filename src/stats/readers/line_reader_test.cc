#include "stats/readers/line_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "stats/readers/annotation_test_files.h"

namespace autoscale {
namespace {

using annotation_test::TempDir;
using annotation_test::WriteFile;

struct ReadLine {
  std::string text;
  uint64_t offset;
  bool too_long;
  bool operator==(const ReadLine& o) const {
    return text == o.text && offset == o.offset && too_long == o.too_long;
  }
};

std::ostream& operator<<(std::ostream& os, const ReadLine& l) {
  return os << "{'" << l.text << "' @" << l.offset << (l.too_long ? " too long}" : "}");
}

// Every line of `bytes` from `offset`, read with the given limits.
std::vector<ReadLine> Lines(const std::string& bytes, uint64_t offset, uint64_t soft_end,
                            size_t max_line, size_t step, size_t* buffer_bytes = nullptr) {
  TempDir dir("line_reader");
  const std::string path = dir.File("f.txt");
  WriteFile(path, bytes);
  int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  LineReader reader(max_line, step);
  reader.Reset(fd, bytes.size(), offset, soft_end);
  std::vector<ReadLine> out;
  LineReader::Line l;
  while (reader.Next(&l)) out.push_back({std::string(l.text), l.offset, l.too_long});
  CHECK(reader.status().ok());
  if (buffer_bytes) *buffer_bytes = reader.buffer_bytes();
  ::close(fd);
  return out;
}

TEST_CASE("line reader strips line ends and the BOM of the first line only", "[det_labels]") {
  const std::string bytes = "\xEF\xBB\xBF" "a\r\nb\n\n\xEF\xBB\xBF" "c";
  std::vector<ReadLine> expected{{"a", 0, false}, {"b", 6, false}, {"", 8, false},
                                 {"\xEF\xBB\xBF" "c", 9, false}};
  CHECK(Lines(bytes, 0, bytes.size(), 100, 4) == expected);
  CHECK(Lines(bytes, 0, 0, 100, 1) == expected);
  // From the middle: the reader starts wherever it is told.
  std::vector<ReadLine> tail{{"b", 6, false}, {"", 8, false}, {"\xEF\xBB\xBF" "c", 9, false}};
  CHECK(Lines(bytes, 6, 7, 100, 3) == tail);
}

TEST_CASE("line reader skips over-long lines without holding them", "[det_labels]") {
  const std::string big(100000, 'x');
  const std::string bytes = "short\n" + big + "\nafter\n" + big;
  size_t buffer = 0;
  std::vector<ReadLine> expected{{"short", 0, false}, {"", 6, true},
                                 {"after", 100007, false}, {"", 100013, true}};
  CHECK(Lines(bytes, 0, 0, 1000, 64, &buffer) == expected);
  CHECK(buffer <= 1000 + 64 + 1);
  // A line of exactly the limit is fine.
  CHECK(Lines(std::string(1000, 'y') + "\n", 0, 0, 1000, 64) ==
        std::vector<ReadLine>{{std::string(1000, 'y'), 0, false}});
}

}  // namespace
}  // namespace autoscale
