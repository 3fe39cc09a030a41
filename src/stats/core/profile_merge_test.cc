#include "stats/core/profile_merge.h"

#include <catch2/catch.hpp>

#include "stats/core/model_space.h"

using namespace autoscale;

namespace {
Profile Boxes(const ModelSpace& m, std::vector<std::vector<BoxSize>> images, std::string path) {
  Profile p = m.NewProfile();
  p.dataset.type = "det_labels";
  p.dataset.path = std::move(path);
  for (const auto& boxes : images) m.AddImageBoxes(&p, boxes);
  return p;
}
}  // namespace

TEST_CASE("profiles of the same model space merge into the profile of the union",
          "[profile_merge]") {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 960);
  Profile a = Boxes(m, {{{10, 100}, {20, 30}}, {{48, 480}}}, "a.txt");
  Profile b = Boxes(m, {{{12, 60}}}, "b.txt");
  Profile whole = Boxes(m, {{{10, 100}, {20, 30}}, {{48, 480}}, {{12, 60}}}, "all.txt");
  auto merged = MergeProfiles({{"a.json", a}, {"b.json", b}});
  REQUIRE(merged.ok());
  CHECK(*merged == whole);
  CHECK(merged->dataset.path == "a.txt (+1 more)");
  CHECK(merged->dataset.type == "det_labels");
  b.dataset.type = "icdar";
  CHECK(MergeProfiles({{"a.json", a}, {"b.json", b}})->dataset.type == "mixed");
  // One part is that part.
  CHECK(MergeProfiles({{"a.json", a}})->dataset.path == "a.txt");
  CHECK(!MergeProfiles({}).ok());
}

TEST_CASE("profiles of another shape or limit_side_len do not merge", "[profile_merge]") {
  ModelSpace hw(*ParseInputShape("1,3,-1,-1"), 960);
  ModelSpace hw_1280(*ParseInputShape("1,3,-1,-1"), 1280);
  ModelSpace rec(*ParseInputShape("-1,3,48,-1"), 960);
  Profile a = Boxes(hw, {{{10, 100}}}, "a");
  auto shape = MergeProfiles({{"a.json", a}, {"rec.json", Boxes(rec, {{{10, 100}}}, "r")}});
  REQUIRE(!shape.ok());
  CHECK(shape.message() ==
        "rec.json: built for input shape -1,3,48,-1, not 1,3,-1,-1 like the others");
  auto limit = MergeProfiles({{"a.json", a}, {"big.json", Boxes(hw_1280, {{{10, 100}}}, "b")}});
  REQUIRE(!limit.ok());
  CHECK(limit.message() == "big.json: built with limit_side_len 1280, not 960 like the others");
  // limit_side_len does not matter unless H and W are both dynamic.
  ModelSpace rec_1280(*ParseInputShape("-1,3,48,-1"), 1280);
  CHECK(CheckMergeable(Boxes(rec, {}, "r"), Boxes(rec_1280, {}, "s"), "s.json").ok());
}
