#include "stats/readers/annotation_boxes.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace autoscale {
namespace {

TEST_CASE("CollectBox keeps a valid box's crop size and counts nothing", "[annotation_boxes]") {
  const std::vector<Point> box = {{0, 0}, {100, 0}, {100, 30}, {0, 30}};
  Profile p;
  std::vector<BoxSize> boxes;
  CollectBox(box.data(), box.size(), 1, 5, "a.txt:1", &p, &boxes);
  REQUIRE(boxes.size() == 1);
  CHECK(boxes[0].width == Approx(100));
  CHECK(boxes[0].height == Approx(30));
  CHECK(p.dataset.skipped.degenerate_box == 0);
  CHECK(p.dataset.warnings.empty());
}

TEST_CASE("CollectBox counts a bad box and says why, naming the box", "[annotation_boxes]") {
  Profile p;
  std::vector<BoxSize> boxes;
  const std::vector<Point> two = {{0, 0}, {5, 5}};
  CollectBox(two.data(), two.size(), 3, 7, "a.txt:2", &p, &boxes);
  const std::vector<Point> flat = {{0, 0}, {50, 0}, {50, 0.2}, {0, 0.2}};
  CollectBox(flat.data(), flat.size(), 0, 9, "gt_1.txt:4", &p, &boxes);
  const std::vector<Point> nan = {{0, 0}, {NAN, 0}, {5, 5}, {0, 5}};
  CollectBox(nan.data(), nan.size(), 1, 11, "b.txt:1", &p, &boxes);
  CHECK(boxes.empty());
  CHECK(p.dataset.skipped.degenerate_box == 3);
  REQUIRE(p.dataset.warnings.size() == 3);
  CHECK(p.dataset.warnings[0].order == 7);
  CHECK(p.dataset.warnings[0].where == "a.txt:2");
  CHECK(p.dataset.warnings[0].message == "box 3: 2 points, a box needs at least 4");
  // Box number 0 (one box per line): no prefix.
  CHECK(p.dataset.warnings[1].where == "gt_1.txt:4");
  CHECK_THAT(p.dataset.warnings[1].message,
             Catch::StartsWith("crop ") && Catch::Contains("has a side under 1 px"));
  CHECK(p.dataset.warnings[2].message == "box 1: a coordinate is not a finite number");
}

TEST_CASE("IsBlankLine: only spaces, tabs and carriage returns", "[annotation_boxes]") {
  CHECK(IsBlankLine(""));
  CHECK(IsBlankLine(" \t \r"));
  CHECK_FALSE(IsBlankLine(" x "));
  CHECK_FALSE(IsBlankLine("\n"));
  CHECK_FALSE(IsBlankLine(std::string_view("\0", 1)));
}

}  // namespace
}  // namespace autoscale
