#include "stats/strategies/joint_units.h"

#include <catch2/catch.hpp>

using namespace autoscale;

TEST_CASE("units from a profile spread each box count's sizes over its images", "[joint]") {
  Profile p;
  // Three images of 2 boxes: widths 10..60.
  p.AddBoxCount(2, 3);
  for (int64_t w : {10, 20, 30, 40, 50, 60}) p.AddSample({2, 48, w});
  // 100 images of one box, all alike.
  p.AddBoxCount(1, 100);
  p.AddSample({1, 48, 70}, 100);
  const std::vector<RoutingUnit> units = UnitsFromProfile(p);
  REQUIRE(units.size() == 3 + kUnitsPerBoxCount);
  double images = 0, boxes = 0;
  for (const RoutingUnit& u : units) {
    images += u.weight;
    boxes += u.weight * static_cast<double>(u.items.size());
  }
  CHECK(images == Approx(103));
  CHECK(boxes == Approx(106));
  // Box count 1 comes first: each unit is the one size, standing for 100/32 images.
  CHECK(units[0].items.size() == 1);
  CHECK(units[0].items[0].w == 70);
  CHECK(units[0].weight == Approx(100.0 / kUnitsPerBoxCount));
  // Box count 2: each image takes one box from the lower and one from the upper half.
  const size_t first = kUnitsPerBoxCount;
  CHECK(units[first].items[0].w == 10);
  CHECK(units[first].items[1].w == 40);
  CHECK(units[first + 1].items[0].w == 20);
  CHECK(units[first + 1].items[1].w == 50);
  CHECK(units[first + 2].items[0].w == 30);
  CHECK(units[first + 2].items[1].w == 60);
  CHECK(units[first].items[0].h == 48);
}

TEST_CASE("units from a profile keep few boxes for large box counts", "[joint]") {
  Profile p;
  p.AddBoxCount(1000, 50);
  for (int64_t w = 1; w <= 1000; ++w) p.AddSample({1000, 48, w}, 50);
  const std::vector<RoutingUnit> units = UnitsFromProfile(p);
  REQUIRE(units.size() == static_cast<size_t>(kBoxesPerBoxCount / 1000));
  for (const RoutingUnit& u : units) {
    CHECK(u.items.size() == 1000);
    CHECK(u.weight == Approx(50.0 / static_cast<double>(units.size())));
    // Each holds the whole range of sizes.
    CHECK(u.items.front().w <= 4);
    CHECK(u.items.back().w >= 997);
  }
}

TEST_CASE("units from an image folder are none", "[joint]") {
  Profile p;
  p.AddSample({0, 48, 100}, 5);
  CHECK(UnitsFromProfile(p).empty());
}
