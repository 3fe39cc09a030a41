#include "runtime/selector.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace runtime {
namespace {

TEST_CASE("Select maps a crop to model space and pads it into the cheapest gear") {
  GearTable t{{{1, {{48, 160}, {48, 320}}, {}}, {4, {{48, 320}}, {}}}};
  Router r(t, CostModel::Pixels(0));
  const InputDims shape{-1, 3, 48, -1};
  Selection s = Select(r, shape, 0, {24, 100});
  CHECK(s.batch == 1);
  CHECK(s.model == 0);
  CHECK(s.gear_index == 1);
  CHECK(s.gear.h == 48);
  CHECK(s.gear.w == 320);
  CHECK(s.resized.h == 48);
  CHECK(s.resized.w == 200);
  CHECK(s.pad_bottom == 0);
  CHECK(s.pad_right == 120);
  CHECK_FALSE(s.shrunk);
  CHECK(s.cost == 48 * 320);
  Selection wide = Select(r, shape, 0, {10, 1000});
  CHECK(wide.shrunk);
  CHECK(wide.resized.w == 320);
  CHECK(wide.pad_right == 0);
}

TEST_CASE("Select with both dims dynamic pads bottom and right, shrinks only what no gear holds") {
  GearTable t{{{1, {{320, 640}, {480, 960}, {960, 480}}, {}}}};
  Router r(t, CostModel::Pixels(0));
  const InputDims shape{1, 3, -1, -1};
  Selection big = Select(r, shape, 960, {1000, 2000});
  CHECK(big.gear.h == 480);
  CHECK(big.gear.w == 960);
  CHECK(big.pad_bottom == 0);
  CHECK(big.pad_right == 0);
  Selection small = Select(r, shape, 960, {100, 100});
  CHECK(small.gear.h == 320);
  CHECK(small.pad_bottom == 220);
  CHECK(small.pad_right == 540);
  CHECK_FALSE(small.shrunk);
  CHECK_FALSE(Select(r, shape, 960, {2000, 500}).shrunk);
  Selection square = Select(r, shape, 960, {960, 960});
  CHECK(square.shrunk);
  CHECK(square.resized.h == 480);
  CHECK(square.resized.w == 960);
  CHECK(square.pad_bottom == 0);
}

}  // namespace
}  // namespace runtime
}  // namespace autoscale
