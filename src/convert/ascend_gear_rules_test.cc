#include "convert/ascend_gear_rules.h"

#include <catch2/catch.hpp>

#include "support/converter_fixtures.h"

using autoscale::test::EveryModelKind;
using autoscale::test::TestModel;

namespace autoscale {

static std::string Rejection(const PlannedModel& model) {
  Status status = CheckAscendGears(model);
  REQUIRE_FALSE(status.ok());
  return status.message();
}

TEST_CASE("gear rules: every kind of planned model passes", "[atc][lite][gear_rules]") {
  for (const PlannedModel& model : EveryModelKind()) {
    INFO(model.name);
    CHECK(CheckAscendGears(model).ok());
  }
}

TEST_CASE("gear rules: profiles are the gears' values of the -1 dims, in order",
          "[atc][gear_rules]") {
  PlannedModel model = TestModel("m", "-1,3,48,-1", {{8, 3, 48, 320}, {8, 3, 48, 640}});
  CHECK(DynamicDims(model.shape) == std::vector<Dim>{kN, kW});
  CHECK(GearProfiles(model.gears, DynamicDims(model.shape)) ==
        std::vector<std::vector<int64_t>>{{8, 320}, {8, 640}});
  CHECK(DynamicDims(TestModel("s", "1,3,48,320", {}).shape).empty());
}

TEST_CASE("gear rules: fewer than 2 or more than 100 profiles are rejected", "[atc][gear_rules]") {
  CHECK_THAT(Rejection(TestModel("m_dynamic_bs", "-1,3,48,320", {{4, 3, 48, 320}})),
             Catch::Equals("m_dynamic_bs: 1 gear; Ascend converters need 2 to 100 for a dynamic "
                           "input"));
  CHECK_THAT(Rejection(TestModel("m_dynamic_bs", "-1,3,48,320", {})),
             Catch::StartsWith("m_dynamic_bs: 0 gears;"));
  std::vector<FullShape> gears;
  for (int64_t w = 1; w <= 101; ++w) gears.push_back({1, 3, 48, w * 8});
  CHECK_THAT(Rejection(TestModel("m_dynamic_hw", "1,3,48,-1", gears)),
             Catch::StartsWith("m_dynamic_hw: 101 gears;"));
  gears.pop_back();
  CHECK(CheckAscendGears(TestModel("m_dynamic_hw", "1,3,48,-1", gears)).ok());
}

TEST_CASE("gear rules: duplicate gears are rejected", "[atc][gear_rules]") {
  CHECK_THAT(Rejection(TestModel("m_dynamic_hw", "1,3,-1,-1",
                                 {{1, 3, 32, 64}, {1, 3, 48, 64}, {1, 3, 32, 64}})),
             Catch::Equals("m_dynamic_hw: gear [1,3,32,64] appears twice; Ascend converters "
                           "reject duplicate profiles"));
}

TEST_CASE("gear rules: batch outside 1..2048 is rejected", "[atc][gear_rules]") {
  CHECK_THAT(Rejection(TestModel("m_dynamic_bs", "-1,3,48,320", {{1, 3, 48, 320}, {4096, 3, 48, 320}})),
             Catch::Equals("m_dynamic_bs: gear [4096,3,48,320]: batch 4096 is outside 1..2048"));
  CHECK(CheckAscendGears(TestModel("m_dynamic_bs", "-1,3,48,320",
                                   {{1, 3, 48, 320}, {2048, 3, 48, 320}}))
            .ok());
  CHECK_THAT(Rejection(TestModel("m_dynamic_bs", "-1,3,48,320", {{0, 3, 48, 320}, {4, 3, 48, 320}})),
             Catch::Contains("N is 0, not a positive integer"));
  CHECK_THAT(Rejection(TestModel("m_static", "4096,3,48,320", {{4096, 3, 48, 320}})),
             Catch::Contains("batch 4096 is outside 1..2048"));
}

TEST_CASE("gear rules: a value that is not a positive integer is rejected", "[atc][gear_rules]") {
  CHECK_THAT(Rejection(TestModel("m_dynamic_hw", "1,3,-1,-1", {{1, 3, 32, 64}, {1, 3, -1, 64}})),
             Catch::Equals("m_dynamic_hw: gear [1,3,-1,64]: H is -1, not a positive integer"));
  CHECK_THAT(Rejection(TestModel("m_dynamic_hw", "1,3,48,-1", {{1, 3, 48, 0}, {1, 3, 48, 64}})),
             Catch::Contains("W is 0, not a positive integer"));
}

TEST_CASE("gear rules: a gear must keep the dims its shape pins", "[atc][gear_rules]") {
  CHECK_THAT(Rejection(TestModel("m_dynamic_bs8_hw", "8,3,48,-1", {{8, 3, 48, 320}, {4, 3, 48, 640}})),
             Catch::Equals("m_dynamic_bs8_hw: gear [4,3,48,640]: N is 4 but the input shape "
                           "8,3,48,-1 pins it to 8"));
  CHECK_THAT(Rejection(TestModel("m_static", "1,3,48,320", {{1, 3, 48, 320}, {1, 3, 48, 320}})),
             Catch::Contains("2 gears for a static input shape"));
}

}  // namespace autoscale
