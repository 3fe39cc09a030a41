#include "stats/readers/det_label_reader.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "stats/readers/annotation_test_files.h"

namespace autoscale {
namespace {

using annotation_test::RecognitionSpace;
using annotation_test::TempDir;
using annotation_test::WriteFile;

Result<Profile> ReadLabels(const std::string& path, int threads = 2,
                           const LineChunking& chunking = LineChunking()) {
  ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  ReadOptions options;
  options.threads = threads;
  Status s = ReadDetLabelFile(path, space, options, chunking, &p);
  if (!s.ok()) return s;
  return p;
}

// A det label line with one axis-aligned box of w x h at (x, y).
std::string Box(int x, int y, int w, int h, const std::string& text = "t") {
  auto pt = [](int a, int b) { return "[" + std::to_string(a) + ", " + std::to_string(b) + "]"; };
  return "{\"transcription\": \"" + text + "\", \"points\": [" + pt(x, y) + ", " +
         pt(x + w, y) + ", " + pt(x + w, y + h) + ", " + pt(x, y + h) + "]}";
}

TEST_CASE("the det label reader maps each box to model space", "[det_labels]") {
  TempDir dir;
  const std::string path = dir.File("label.txt");
  // Image 1: 100x30 and 200x40 boxes; image 2: one 48x48 box.
  WriteFile(path, "a.jpg\t[" + Box(0, 0, 100, 30) + ", " + Box(5, 5, 200, 40, "###") +
                      "]\nb.jpg\t[" + Box(1, 1, 48, 48, "CAF\xC3\x89, \\\"x\\\"") + "]\n");
  auto p = ReadLabels(path);
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 2);
  CHECK(p->dataset.boxes == 3);
  CHECK(p->dataset.skipped.Total() == 0);
  // Width in model space: ceil(w * 48 / h); batch = the image's box count.
  std::map<SampleKey, uint64_t> expected{{{2, 48, 160}, 1}, {{2, 48, 240}, 1}, {{1, 48, 48}, 1}};
  CHECK(p->samples() == expected);
  CHECK(p->batch().counts() == std::map<int64_t, uint64_t>{{1, 1}, {2, 1}});
}

TEST_CASE("BOM, CRLF and blank lines do not change the result", "[det_labels]") {
  TempDir dir;
  const std::string body1 = "a.jpg\t[" + Box(0, 0, 100, 30) + "]";
  const std::string body2 = "b.jpg\t[" + Box(0, 0, 64, 32) + ", " + Box(0, 0, 10, 20) + "]";
  WriteFile(dir.File("plain.txt"), body1 + "\n" + body2 + "\n");
  WriteFile(dir.File("dos.txt"), "\xEF\xBB\xBF" + body1 + "\r\n\r\n  \r\n" + body2);
  auto plain = ReadLabels(dir.File("plain.txt"));
  auto dos = ReadLabels(dir.File("dos.txt"));
  REQUIRE(plain.ok());
  REQUIRE(dos.ok());
  CHECK(dos->dataset.skipped.Total() == 0);
  CHECK(*plain == *dos);
}

TEST_CASE("bad lines and bad boxes are counted and named by line", "[det_labels]") {
  TempDir dir;
  const std::string path = dir.File("label.txt");
  WriteFile(path,
            "a.jpg\t[" + Box(0, 0, 100, 30) + "]\n"                                      // 1 ok
            "no tab here\n"                                                              // 2 bad
            "\n"                                                                         // 3 blank
            "c.jpg\t[{\"transcription\": \"x\"}]\n"                                       // 4 bad
            "d.jpg\t[" + Box(0, 0, 50, 0) + ", " + Box(0, 0, 60, 20) + "]\n"               // 5 box 1
            "e.jpg\t[{\"points\": [[0, 0], [9, 0], [9, 9]]}, {\"points\": [[0,0],[1e999,0],"
            "[1,1],[0,1]]}]\n"                                                           // 6 boxes 1, 2
            "f.jpg\t[{\"transcription\": \"x\", \"points\": [[0, 0], [1, 1]\n");        // 7 bad
  auto p = ReadLabels(path);
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 3);  // a, d and e; e has no valid box
  CHECK(p->dataset.boxes == 2);
  CHECK(p->dataset.skipped.bad_line == 3);
  CHECK(p->dataset.skipped.degenerate_box == 3);
  CHECK(p->dataset.warnings_total == 6);
  REQUIRE(p->dataset.warnings.size() == 6);
  const auto& w = p->dataset.warnings;
  CHECK(w[0].order == 2);
  CHECK(w[0].where == path + ":2");
  CHECK(w[0].message == "no tab between the image path and the labels");
  CHECK(w[1].where == path + ":4");
  CHECK(w[1].message == "box 1 has no \"points\"");
  CHECK(w[2].where == path + ":5");
  CHECK(w[2].message == "box 1: crop 50 x 0 px (w x h) has a side under 1 px");
  CHECK(w[3].where == path + ":6");
  CHECK(w[3].message == "box 1: 3 points, a box needs at least 4");
  CHECK(w[4].where == path + ":6");
  CHECK(w[4].message == "box 2: a coordinate is not a finite number");
  CHECK(w[5].where == path + ":7");
  CHECK(w[5].message.find("invalid JSON at column") == 0);
  // d.jpg keeps its valid box; its batch counts only valid boxes.
  CHECK(p->batch().counts() == std::map<int64_t, uint64_t>{{1, 2}});
}

TEST_CASE("polygons are measured through their minimum-area rectangle", "[det_labels]") {
  TempDir dir;
  const std::string path = dir.File("label.txt");
  // An 8-point polygon tracing a 120 x 24 rectangle.
  WriteFile(path,
            "a.jpg\t[{\"transcription\": \"curved\", \"points\": [[0, 0], [60, 0], [120, 0], "
            "[120, 12], [120, 24], [60, 24], [0, 24], [0, 12]]}]\n");
  auto p = ReadLabels(path);
  REQUIRE(p.ok());
  CHECK(p->samples() == std::map<SampleKey, uint64_t>{{{1, 48, 240}, 1}});
}

TEST_CASE("a label file with no valid line is an error that says why", "[det_labels]") {
  TempDir dir;
  SECTION("empty") {
    WriteFile(dir.File("l.txt"), "");
    auto p = ReadLabels(dir.File("l.txt"));
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.File("l.txt") +
                             ": no valid det label line (image_path<TAB>[{\"points\": ...}]): "
                             "the file is empty");
  }
  SECTION("only blank lines") {
    WriteFile(dir.File("l.txt"), "\n  \r\n\n");
    auto p = ReadLabels(dir.File("l.txt"));
    REQUIRE(!p.ok());
    CHECK(p.message().find("all 3 lines are blank") != std::string::npos);
  }
  SECTION("only bad lines") {
    WriteFile(dir.File("l.txt"), "\nimage.jpg some text\nx.jpg\t[oops]\n");
    auto p = ReadLabels(dir.File("l.txt"));
    REQUIRE(!p.ok());
    CHECK(p.message().find(": 2 malformed lines, the first at line 2: no tab between the image "
                           "path and the labels") != std::string::npos);
  }
  SECTION("missing") {
    auto p = ReadLabels(dir.File("none.txt"));
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.File("none.txt") + ": cannot open: No such file or directory");
  }
  SECTION("a folder") {
    auto p = ReadLabels(dir.path());
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.path() + ": is a directory, expected a file");
  }
}

TEST_CASE("an over-long line is a bad line and is not held", "[det_labels]") {
  TempDir dir;
  const std::string path = dir.File("label.txt");
  const std::string good = "a.jpg\t[" + Box(0, 0, 100, 30) + "]\n";
  WriteFile(path, good + "big.jpg\t[" + std::string(5000, ' ') + "]\n" + good);
  LineChunking chunking;
  chunking.max_line_bytes = 1000;
  chunking.chunk_bytes = 300;
  auto p = ReadLabels(path, 2, chunking);
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 2);
  CHECK(p->dataset.skipped.bad_line == 1);
  REQUIRE(p->dataset.warnings.size() == 1);
  CHECK(p->dataset.warnings[0].where == path + ":2");
  CHECK(p->dataset.warnings[0].message == "line longer than 1000 bytes");
}

TEST_CASE("lines straddling chunks are read once, whatever the chunking", "[det_labels]") {
  TempDir dir;
  auto pair = annotation_test::WriteAnnotationPair(dir.path(), 300, 11);
  // Add bad lines and a BOM so warnings and the first line cross chunks too.
  std::string text;
  {
    std::ifstream in(pair.label_file, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string mixed = "\xEF\xBB\xBF";
  size_t line = 0, broken = 0;
  for (size_t start = 0; start < text.size(); ++line) {
    size_t nl = text.find('\n', start);
    mixed += text.substr(start, nl + 1 - start);
    if (line % 37 == 5) mixed += "broken line " + std::to_string(line) + "\n", ++broken;
    if (line % 53 == 7) mixed += "\r\n";
    start = nl + 1;
  }
  const std::string path = dir.File("mixed.txt");
  WriteFile(path, mixed);

  auto whole = ReadLabels(path, 1);
  REQUIRE(whole.ok());
  CHECK(whole->dataset.images == pair.images);
  CHECK(whole->dataset.skipped.bad_line == broken);
  CHECK(whole->dataset.skipped.degenerate_box > 0);
  CHECK(whole->dataset.boxes + whole->dataset.skipped.degenerate_box == pair.boxes);
  for (size_t chunk : {1, 2, 7, 100, 4096}) {
    for (int threads : {1, 4}) {
      LineChunking chunking;
      chunking.chunk_bytes = chunk;
      auto p = ReadLabels(path, threads, chunking);
      INFO("chunk " << chunk << ", threads " << threads);
      REQUIRE(p.ok());
      CHECK(*p == *whole);
    }
  }
}

}  // namespace
}  // namespace autoscale
