#include "stats/core/gear_limits.h"

#include <catch2/catch.hpp>

#include <limits>

#include "stats/core/model_space.h"

namespace autoscale {
namespace {

using Values = std::vector<int64_t>;

TEST_CASE("RoundUpToInterval rounds up to a positive multiple", "[range_strategies]") {
  CHECK(RoundUpToInterval(64.0, 32) == 64);
  CHECK(RoundUpToInterval(64.0000000001, 32) == 64);  // floating noise
  CHECK(RoundUpToInterval(64.5, 32) == 96);
  CHECK(RoundUpToInterval(0, 32) == 32);
  CHECK(RoundUpToInterval(-500, 32) == 32);
  CHECK(RoundUpToInterval(7, 1) == 7);
  CHECK(RoundUpToInterval(1e30, 32) == std::numeric_limits<int64_t>::max() / 32 * 32);
}

TEST_CASE("SpreadSubset keeps both ends", "[range_strategies]") {
  const Values v{1, 2, 3, 4, 5, 6, 7, 8, 9};
  CHECK(SpreadSubset(v, 3) == Values{1, 5, 9});
  CHECK(SpreadSubset(v, 2) == Values{1, 9});
  CHECK(SpreadSubset(v, 1) == Values{9});
  CHECK(SpreadSubset(v, 20) == v);
}

TEST_CASE("HwGearLimit and CheckHwBudget: max_scaling_num, at most 100, at least 2",
          "[gear_limits]") {
  ScalingConfig c;
  c.max_scaling_num = 7;
  CHECK(HwGearLimit(c) == 7);
  CHECK(CheckHwBudget(c).ok());
  c.max_scaling_num = 5000;
  CHECK(HwGearLimit(c) == kMaxGearsPerModel);
  c.max_scaling_num = 2;
  CHECK(CheckHwBudget(c).ok());
  c.max_scaling_num = 1;
  const Status one = CheckHwBudget(c);
  REQUIRE_FALSE(one.ok());
  CHECK_THAT(one.message(), Catch::Contains("key 'max_scaling_num': 1 allows a single gear"));
}

TEST_CASE("CheckHwPreconditions wants samples and a budget of two gears", "[gear_limits]") {
  ModelSpace m(*ParseInputShape("-1,3,-1,-1"), 960);
  Profile p = m.NewProfile();
  ScalingConfig c;
  const Status empty = CheckHwPreconditions(p, c);
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.message(), Catch::Contains("no samples"));
  m.AddImageBoxes(&p, {{40, 100}});
  CHECK(CheckHwPreconditions(p, c).ok());
  c.max_scaling_num = 1;
  CHECK_THAT(CheckHwPreconditions(p, c).message(), Catch::Contains("max_scaling_num"));
}

TEST_CASE("LimitSideCap applies only when height and width are both dynamic", "[gear_limits]") {
  ScalingConfig c;
  c.limit_side_len = 1000;
  c.interval = 32;
  CHECK(LimitSideCap(*ParseInputShape("-1,3,-1,-1"), c) == 1024);
  CHECK(LimitSideCap(*ParseInputShape("-1,3,48,-1"), c) == std::numeric_limits<int64_t>::max());
  CHECK(LimitSideCap(*ParseInputShape("1,3,-1,320"), c) == std::numeric_limits<int64_t>::max());
}

TEST_CASE("GearBoundsFor takes the dim's range capped at LimitSideCap", "[gear_limits]") {
  ScalingConfig c;
  c.limit_side_len = 960;
  c.interval = 32;
  c.height_min = 40;
  c.height_max = 4000;
  c.width_min = 10;
  c.width_max = 500;
  const InputShape both = *ParseInputShape("-1,3,-1,-1");
  const GearBounds h = GearBoundsFor(kH, both, c);
  CHECK(h.lo == 40);
  CHECK(h.hi == 960);
  const GearBounds w = GearBoundsFor(kW, both, c);
  CHECK(w.lo == 10);
  CHECK(w.hi == 500);
  // Only the width dynamic: no cap.
  CHECK(GearBoundsFor(kH, *ParseInputShape("-1,3,-1,320"), c).hi == 4000);
  // A minimum above the cap wins.
  c.height_min = 2000;
  const GearBounds high = GearBoundsFor(kH, both, c);
  CHECK(high.lo == 2000);
  CHECK(high.hi == 2000);

  CHECK(h.GearLo(32) == 64);
  CHECK(h.GearHi(32) == 960);
  CHECK(h.GearFor(1, 32) == 64);  // at least GearLo
  CHECK(h.GearFor(100, 32) == 128);
  CHECK(h.GearFor(960, 32) == 960);
  CHECK(h.GearFor(961, 32) == 0);  // no allowed gear holds it
  CHECK(h.GearFor(std::numeric_limits<int64_t>::max(), 32) == 0);
}

TEST_CASE("SamplesBeyondGearBounds counts the samples no allowed gear holds", "[gear_limits]") {
  ScalingConfig config;  // width_range [1, 8192], interval 32
  const InputShape shape = *ParseInputShape("1,3,1048576,-1");
  ModelSpace space(shape, config.limit_side_len);
  Profile p = space.NewProfile();
  space.AddImage(&p, 100, 300);       // width 3145728 in model space
  space.AddImage(&p, 1048576, 8192);  // width 8192: the largest gear holds it
  CHECK(SamplesBeyondGearBounds(p, shape, config) == 1);
  config.width_max = 1 << 23;
  CHECK(SamplesBeyondGearBounds(p, shape, config) == 0);
  // A fixed dim is the model's: nothing to hold.
  const InputShape fixed = *ParseInputShape("1,3,48,320");
  CHECK(SamplesBeyondGearBounds(p, fixed, config) == 0);
}

}  // namespace
}  // namespace autoscale
