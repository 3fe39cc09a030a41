#include "convert/backend_gear_limits.h"

#include <catch2/catch.hpp>

#include "support/converter_fixtures.h"

using autoscale::test::TestModel;

namespace autoscale {

namespace {

const BackendGearLimits kLimits = {"Tool", "shapes", 3, 8};

std::string Why(const PlannedModel& model) { return CheckBackendGears(model, kLimits).message(); }

}  // namespace

TEST_CASE("backend gear limits: a model within the limits passes", "[backend_gear_limits]") {
  CHECK(CheckBackendGears(TestModel("m_static", "1,3,48,320", {{1, 3, 48, 320}}), kLimits).ok());
  CHECK(CheckBackendGears(TestModel("m_dynamic_bs", "-1,3,48,320",
                                    {{1, 3, 48, 320}, {4, 3, 48, 320}, {8, 3, 48, 320}}),
                          kLimits)
            .ok());
}

TEST_CASE("backend gear limits: each broken limit names the model, the gear and the limit",
          "[backend_gear_limits]") {
  CHECK(Why(TestModel("m_dynamic_hw", "1,3,-1,-1", {})) == "m_dynamic_hw: no gears");
  CHECK(Why(TestModel("m_dynamic_bs", "-1,3,48,320",
                      {{1, 3, 48, 320}, {2, 3, 48, 320}, {4, 3, 48, 320}, {8, 3, 48, 320}})) ==
        "m_dynamic_bs: 4 gears; Tool takes at most 3 shapes per model: lower max_scaling_num or "
        "the batch gears");
  CHECK(Why(TestModel("m_dynamic_bs", "-1,3,48,320", {{16, 3, 48, 320}})) ==
        "m_dynamic_bs: gear [16,3,48,320]: batch 16 is above Tool's limit of 8 here");
  CHECK(Why(TestModel("m_width_hw", "1,3,48,-1", {{1, 3, 48, 0}})) ==
        "m_width_hw: gear [1,3,48,0]: W is 0, not a positive integer");
  CHECK(Why(TestModel("m_width_hw", "1,3,48,-1", {{1, 3, 32, 320}})) ==
        "m_width_hw: gear [1,3,32,320]: H is 32 but the input shape 1,3,48,-1 pins it to 48");
  CHECK(Why(TestModel("m_width_hw", "1,3,48,-1", {{1, 3, 48, 320}, {1, 3, 48, 320}})) ==
        "m_width_hw: gear [1,3,48,320] appears twice");
}

}  // namespace autoscale
