#include "stats/evaluation/shrink.h"

#include <catch2/catch.hpp>

#include "stats/evaluation/evaluation.h"

using namespace autoscale;

TEST_CASE("samples no gear holds are counted with how much they shrink", "[shrink]") {
  const InputShape shape = *ParseInputShape("1,3,-1,-1");
  Profile p;
  p.input_shape = shape;
  p.limit_side_len = 960;
  p.AddSample({0, 64, 64}, 5);    // held
  p.AddSample({0, 64, 256}, 2);   // width 256 -> 128: half kept
  p.AddSample({0, 256, 512}, 1);  // -> 128 x 128: a quarter of the width kept
  GearSet gears;
  gears.hw = {{64, 64}, {128, 128}};
  Normalize(&gears, shape);
  ShrinkEvaluation e = EvaluateShrink(p, gears, shape);
  CHECK(e.samples == 8);
  CHECK(e.shrunk == 3);
  CHECK(e.share == Approx(3.0 / 8));
  CHECK(e.min_scale == Approx(0.25));
  CHECK(e.mean_scale == Approx((0.5 * 2 + 0.25) / 3));
  REQUIRE(e.worst.size() == 2);
  CHECK(e.worst[0].h == 256);
  CHECK(e.worst[0].w == 512);
  CHECK(e.worst[1].count == 2);
  // The evaluation's count of shrunk samples is the same.
  ScalingConfig config;
  CHECK(Evaluate(p, gears, shape, config).cost.shrunk == e.shrunk);
  CHECK(e.ToJson()["worst"][0]["scale"] == 0.25);
}

TEST_CASE("a gear set holding everything shrinks nothing", "[shrink]") {
  const InputShape shape = *ParseInputShape("-1,3,48,-1");
  Profile p;
  p.input_shape = shape;
  p.AddSample({1, 48, 100}, 3);
  GearSet gears;
  gears.batch = {1, 4};
  gears.hw = {{48, 128}, {48, 256}};
  Normalize(&gears, shape);
  ShrinkEvaluation e = EvaluateShrink(p, gears, shape);
  CHECK(e.shrunk == 0);
  CHECK(e.min_scale == 1);
  CHECK(e.mean_scale == 1);
  CHECK(e.worst.empty());
}
