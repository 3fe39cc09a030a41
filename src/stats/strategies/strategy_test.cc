#include "stats/strategies/strategy.h"

#include <catch2/catch.hpp>

#include "stats/core/model_space.h"
#include "stats/strategies/range_strategies.h"

namespace autoscale {
namespace {

using Values = std::vector<int64_t>;

InputShape Shape(const std::string& text) { return *ParseInputShape(text); }

Profile WordCrops(const InputShape& shape) {
  ModelSpace space(shape, 1280);
  Profile p = space.NewProfile();
  for (int i = 1; i <= 40; ++i) {
    std::vector<BoxSize> boxes;
    for (int b = 0; b < i % 7 + 1; ++b)
      boxes.push_back({20.0 + i, 30.0 + 17.0 * i * (b + 1)});
    space.AddImageBoxes(&p, boxes);
  }
  return p;
}

TEST_CASE("StrategyNames lists what ComputeGears accepts", "[strategy]") {
  CHECK(StrategyNames() == std::vector<std::string>{"mean_std", "max_min", "optimal"});
}

TEST_CASE("every listed strategy computes gears through its registry entry", "[strategy]") {
  const InputShape shape = Shape("-1,3,48,-1");
  const Profile p = WordCrops(shape);
  const ScalingConfig c;
  const std::vector<std::string> names = StrategyNames();
  REQUIRE(names.size() == Strategies().size());
  for (size_t i = 0; i < names.size(); ++i) {
    CAPTURE(names[i]);
    CHECK(names[i] == Strategies()[i].name);
    Result<GearSet> got = ComputeGears(p, shape, c, names[i]);
    Result<GearSet> want = Strategies()[i].compute(p, shape, c);
    REQUIRE(got.ok());
    REQUIRE(want.ok());
    CHECK_FALSE(got->width.empty());
    CHECK(got->ToJson() == want->ToJson());
    CHECK(CheckGearGuarantees(*got, shape, c).ok());
  }
  CHECK_FALSE(ComputeGears(p, shape, c, "median").ok());
}

TEST_CASE("ComputeGears dispatches to the range strategies", "[strategy]") {
  const InputShape shape = Shape("-1,3,48,-1");
  Profile p = WordCrops(shape);
  ScalingConfig c;
  for (const auto& [name, kind] : {std::make_pair("mean_std", RangeKind::kMeanStd),
                                   std::make_pair("max_min", RangeKind::kMaxMin)}) {
    Result<GearSet> got = ComputeGears(p, shape, c, name);
    Result<GearSet> want = RangeGears(kind, p, shape, c);
    REQUIRE(got.ok());
    REQUIRE(want.ok());
    CHECK(got->ToJson() == want->ToJson());
  }
  // The two differ on this data, so the dispatch is not one strategy twice.
  CHECK(ComputeGears(p, shape, c, "mean_std")->ToJson() !=
        ComputeGears(p, shape, c, "max_min")->ToJson());
}

TEST_CASE("ComputeGears runs the optimal strategy and checks it", "[strategy]") {
  for (const char* text : {"1,3,48,-1", "1,3,-1,-1", "-1,3,48,-1"}) {
    const InputShape shape = Shape(text);
    ScalingConfig c;
    Result<GearSet> g = ComputeGears(WordCrops(shape), shape, c, "optimal");
    INFO(text << ": " << g.message());
    REQUIRE(g.ok());
    CHECK(CheckGearGuarantees(*g, shape, c).ok());
  }
}

TEST_CASE("ComputeGears errors name the strategy", "[strategy]") {
  const InputShape shape = Shape("1,3,48,-1");
  Result<GearSet> r = ComputeGears(WordCrops(shape), shape, {}, "median");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message() ==
        "key 'strategy': unknown strategy 'median' (expected one of mean_std, max_min, optimal)");

  Profile empty;
  empty.input_shape = shape;
  r = ComputeGears(empty, shape, {}, "max_min");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().rfind("strategy max_min: ", 0) == 0);
}

TEST_CASE("A static shape has no gears", "[strategy]") {
  const InputShape shape = Shape("1,3,48,320");
  for (const auto& name : {"mean_std", "max_min"}) {
    Result<GearSet> g = ComputeGears(Profile{}, shape, {}, name);
    REQUIRE(g.ok());
    CHECK(g->batch.empty());
    CHECK(g->hw.empty());
  }
  Result<GearSet> d = DefaultGears(shape, {});
  REQUIRE(d.ok());
  CHECK(d->hw.empty());
}

TEST_CASE("DefaultGears caps MindOCR's default grid to max_scaling_num", "[strategy]") {
  // Heights 32..640 (20), widths 64..960 (29): 580 > 100.
  // FitGrid: h = floor(20*sqrt(100/580)) = 8, w = min(29, 100/8) = 12, then
  // h = min(20, 100/12) = 8: 96 pairs.
  const InputShape shape = Shape("1,3,-1,-1");
  ScalingConfig c;
  Result<GearSet> g = DefaultGears(shape, c);
  REQUIRE(g.ok());
  // Height index round(i*19/7): 0, 3, 5, 8, 11, 14, 16, 19 -> 32*(idx+1).
  CHECK(g->height == Values{32, 128, 192, 288, 384, 480, 544, 640});
  // Width index round(i*28/11): 0, 3, 5, 8, 10, 13, 15, 18, 20, 23, 25, 28.
  CHECK(g->width == Values{64, 160, 224, 320, 384, 480, 544, 640, 704, 800, 864, 960});
  CHECK(g->hw.size() == 96);
  CHECK(g->batch.empty());
  CHECK(CheckGearGuarantees(*g, shape, c).ok());
}

TEST_CASE("DefaultGears for one dim and for batch", "[strategy]") {
  const InputShape shape = Shape("-1,3,48,-1");
  ScalingConfig c;
  Result<GearSet> g = DefaultGears(shape, c);
  REQUIRE(g.ok());
  CHECK(g->batch == Values{1, 4, 8, 16, 32});
  CHECK(g->height.empty());
  CHECK(g->width.size() == 29);
  CHECK(g->hw.front() == HwGear{48, 64});
  CHECK(g->hw.back() == HwGear{48, 960});

  // max_scaling_num 5: index round(i*28/4) = 0, 7, 14, 21, 28.
  c.max_scaling_num = 5;
  g = DefaultGears(shape, c);
  REQUIRE(g.ok());
  CHECK(g->width == Values{64, 288, 512, 736, 960});

  // Values are used as given, deduplicated.
  c.default_scaling.width = {96, 64, 96};
  g = DefaultGears(shape, c);
  REQUIRE(g.ok());
  CHECK(g->width == Values{64, 96});
  CHECK(CheckGearGuarantees(*g, shape, c).ok());

  // A value off the interval is the config's mistake: named, not rounded.
  c.interval = 64;
  g = DefaultGears(shape, c);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message() == "key 'default_scaling.width': 96 is not a positive multiple of interval 64");
  // The fixed height's list is not used, so not checked.
  c.default_scaling.width = {64, 128};
  c.default_scaling.height = {50};
  CHECK(DefaultGears(shape, c).ok());
  c.default_scaling.height = {100, 50, 100};
  c.default_scaling.width = {64, 128};
  g = DefaultGears(Shape("1,3,-1,-1"), c);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message() == "key 'default_scaling.height': 50 is not a positive multiple of interval 64");
  c = ScalingConfig();

  Result<GearSet> n_only = DefaultGears(Shape("-1,3,48,320"), c);
  REQUIRE(n_only.ok());
  CHECK(n_only->batch == Values{1, 4, 8, 16, 32});
  CHECK(n_only->hw.empty());
}

TEST_CASE("DefaultGears refuses a default that gives one gear", "[strategy]") {
  ScalingConfig c;
  c.default_scaling.width = {320};
  Result<GearSet> g = DefaultGears(Shape("1,3,48,-1"), c);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message() ==
        "key 'default_scaling.width': a dynamic width needs at least 2 distinct values, got 1");

  c.default_scaling.batch_size = {8};
  g = DefaultGears(Shape("-1,3,48,320"), c);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message().find("default_scaling.batch_size") != std::string::npos);

  // One height and one width: a single (h, w) pair.
  c.default_scaling.height = {64};
  g = DefaultGears(Shape("1,3,-1,-1"), c);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message().find("default_scaling.height") != std::string::npos);
  // A budget of one gear cannot hold a dynamic model.
  ScalingConfig one;
  one.max_scaling_num = 1;
  g = DefaultGears(Shape("1,3,48,-1"), one);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message().find("key 'max_scaling_num': 1 allows a single gear") == 0);

  // One height but two widths is a fine grid.
  c.default_scaling.width = {320, 640};
  g = DefaultGears(Shape("1,3,-1,-1"), c);
  REQUIRE(g.ok());
  CHECK(g->hw == std::vector<HwGear>{{64, 320}, {64, 640}});
}

}  // namespace
}  // namespace autoscale
