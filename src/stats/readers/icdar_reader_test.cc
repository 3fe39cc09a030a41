#include "stats/readers/icdar_reader.h"

#include <catch2/catch.hpp>

#include <string>

#include "stats/readers/annotation_test_files.h"
#include "stats/readers/det_label_reader.h"

namespace autoscale {
namespace {

using annotation_test::RecognitionSpace;
using annotation_test::TempDir;
using annotation_test::WriteFile;

Result<Profile> ReadIcdar(const std::string& dir, int threads = 2) {
  ModelSpace space = RecognitionSpace();
  Profile p = space.NewProfile();
  ReadOptions options;
  options.threads = threads;
  Status s = ReadIcdarFolder(dir, space, options, &p);
  if (!s.ok()) return s;
  return p;
}

TEST_CASE("an ICDAR folder: one image per file, boxes mapped to model space", "[icdar]") {
  TempDir dir;
  // BOM and CRLF, text with commas, a blank line, a box given in floats.
  WriteFile(dir.File("gt/gt_img_1.txt"),
            "\xEF\xBB\xBF" "0,0,100,0,100,30,0,30,Genaxis, Theatre\r\n\r\n"
            "5.0, 5.0, 205.0, 5.0, 205.0, 45.0, 5.0, 45.0 ,###\r\n");
  WriteFile(dir.File("gt/gt_img_2.csv"), "1,1,49,1,49,49,1,49,x");
  WriteFile(dir.File("gt/gt_img_3.txt"), "");  // an image without text
  WriteFile(dir.File("gt/readme.md"), "not a ground-truth file");
  auto p = ReadIcdar(dir.File("gt"));
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 3);
  CHECK(p->dataset.boxes == 3);
  CHECK(p->dataset.skipped.Total() == 0);
  std::map<SampleKey, uint64_t> expected{{{2, 48, 160}, 1}, {{2, 48, 240}, 1}, {{1, 48, 48}, 1}};
  CHECK(p->samples() == expected);
  CHECK(p->batch().counts() == std::map<int64_t, uint64_t>{{1, 1}, {2, 1}});
}

TEST_CASE("bad ICDAR lines and boxes are counted and named file:line", "[icdar]") {
  TempDir dir;
  const std::string a = dir.File("gt/a.txt"), b = dir.File("gt/sub/b.TXT");
  WriteFile(a, "0,0,100,0,100,30,0,30,ok\n1,2,3\n0,0,100,0,100,0.5,0,0.5,flat\n");
  WriteFile(b, "x,y\n0,0,10,0,10,10,0,10,fine\n");
  auto p = ReadIcdar(dir.File("gt"), 3);
  REQUIRE(p.ok());
  CHECK(p->dataset.images == 2);
  CHECK(p->dataset.boxes == 2);
  CHECK(p->dataset.skipped.bad_line == 2);
  CHECK(p->dataset.skipped.degenerate_box == 1);
  REQUIRE(p->dataset.warnings.size() == 3);
  // In file order (sorted paths), then line order.
  CHECK(p->dataset.warnings[0].where == a + ":2");
  CHECK(p->dataset.warnings[0].message == "expected 8 comma-separated coordinates, found 3");
  CHECK(p->dataset.warnings[1].where == a + ":3");
  CHECK(p->dataset.warnings[1].message == "crop 100 x 0.5 px (w x h) has a side under 1 px");
  CHECK(p->dataset.warnings[2].where == b + ":1");
  CHECK(p->dataset.warnings[2].message == "coordinate 1 'x' is not a number");
}

TEST_CASE("an ICDAR folder gives exactly the samples of the same det label file", "[icdar]") {
  TempDir dir;
  auto pair = annotation_test::WriteAnnotationPair(dir.path(), 400, 3);
  ModelSpace space = RecognitionSpace();
  Profile from_labels = space.NewProfile();
  ReadOptions options;
  REQUIRE(ReadDetLabelFile(pair.label_file, space, options, &from_labels).ok());
  auto one = ReadIcdar(pair.gt_dir, 1);
  auto four = ReadIcdar(pair.gt_dir, 4);
  REQUIRE(one.ok());
  REQUIRE(four.ok());
  CHECK(one->dataset.images == pair.images);
  CHECK(one->dataset.skipped.degenerate_box > 0);
  CHECK(one->dataset.boxes + one->dataset.skipped.degenerate_box == pair.boxes);
  CHECK(one->samples() == from_labels.samples());
  CHECK(one->batch() == from_labels.batch());
  CHECK(one->dataset.images == from_labels.dataset.images);
  CHECK(one->dataset.boxes == from_labels.dataset.boxes);
  CHECK(one->dataset.skipped == from_labels.dataset.skipped);
  CHECK(*one == *four);
}

TEST_CASE("ICDAR folder errors name the folder and say why", "[icdar]") {
  TempDir dir;
  SECTION("missing") {
    auto p = ReadIcdar(dir.File("nope"));
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.File("nope") + ": no such file or directory");
  }
  SECTION("a file, not a folder") {
    WriteFile(dir.File("gt.txt"), "1,2,3,4,5,6,7,8,x\n");
    auto p = ReadIcdar(dir.File("gt.txt"));
    REQUIRE(!p.ok());
    CHECK(p.message().find(": not a folder") != std::string::npos);
  }
  SECTION("no ground-truth file") {
    WriteFile(dir.File("gt/a.jpg"), "");
    auto p = ReadIcdar(dir.File("gt"));
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.File("gt") + ": no *.txt or *.csv ground-truth file in the folder");
  }
  SECTION("no valid line") {
    WriteFile(dir.File("gt/a.txt"), "\n");
    WriteFile(dir.File("gt/b.txt"), "hello, world\n1,2\n");
    auto p = ReadIcdar(dir.File("gt"));
    REQUIRE(!p.ok());
    CHECK(p.message() == dir.File("gt") +
                             ": no valid ICDAR line (x1,y1,x2,y2,x3,y3,x4,y4,text) in 2 files: "
                             "2 malformed lines, 0 unreadable files; first: " +
                             dir.File("gt/b.txt") + ":1: coordinate 1 'hello' is not a number");
  }
  SECTION("only empty files") {
    WriteFile(dir.File("gt/a.txt"), "");
    auto p = ReadIcdar(dir.File("gt"));
    REQUIRE(!p.ok());
    CHECK(p.message().find("in 1 file: every file is empty") != std::string::npos);
  }
}

}  // namespace
}  // namespace autoscale
