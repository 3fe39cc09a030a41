#include "stats/core/scaling_config.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

TEST_CASE("the cost model of a config: pixels, or the table's rows", "[config]") {
  ScalingConfig c;
  c.cost_call_overhead = 100;
  CHECK(CostModelOf(c).unit() == "px");
  CHECK(CostModelOf(c).Cost(2, 10, 10) == 300);
  c.cost_rows = {{1, 48, 32, 1.0}, {1, 48, 64, 1.5}};  // too few to fit
  CHECK_FALSE(ValidateConfig(c).ok());
  c.cost_rows.push_back({4, 48, 64, 3.0});
  REQUIRE(ValidateConfig(c).ok());
  CHECK(CostModelOf(c).unit() == "ms");
  CHECK(CostModelOf(c).Cost(4, 48, 64) == 3.0);
}

TEST_CASE("ValidateConfig refuses an interval larger than both ranges", "[config]") {
  ScalingConfig c;
  c.width_max = 64;
  c.height_max = 48;
  c.interval = 64;
  CHECK(ValidateConfig(c).ok());  // the width range still holds one gear
  c.interval = 96;
  const Status s = ValidateConfig(c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("key 'interval': 96 is larger than both"));
}

TEST_CASE("default gears step by 32 over the default ranges", "[config]") {
  DefaultScaling d;
  REQUIRE_FALSE(d.height.empty());
  CHECK(d.height.front() == 32);
  CHECK(d.height.back() == 640);
  CHECK(d.height.size() == 20);
  CHECK(d.width.front() == 64);
  CHECK(d.width.back() == 960);
  CHECK(d.width.size() == 29);
}

}  // namespace
}  // namespace autoscale
