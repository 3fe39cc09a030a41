#include "stats/core/cost_model_for.h"

#include <catch2/catch.hpp>

using namespace autoscale;

TEST_CASE("the configured call overhead prices every call", "[cost]") {
  ScalingConfig config;
  CHECK(CostModelFor(config).Cost(2, 48, 32) == Approx(runtime::kDefaultCallOverhead + 2 * 48 * 32));
  config.cost_call_overhead = 500;
  const runtime::CostModel m = CostModelFor(config);
  CHECK(m.kind() == runtime::CostModel::Kind::kPixels);
  CHECK(m.Cost(2, 48, 32) == Approx(500 + 2 * 48 * 32));
  CHECK(m.Cost(1, 48, 64) == Approx(500 + 48 * 64));
}
