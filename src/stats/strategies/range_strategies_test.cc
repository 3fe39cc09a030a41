#include "stats/strategies/range_strategies.h"

#include <limits>
#include <random>

#include <catch2/catch.hpp>

#include "stats/evaluation/evaluation.h"
#include "stats/core/model_space.h"

namespace autoscale {
namespace {

using Values = std::vector<int64_t>;

InputShape Shape(const std::string& text) { return *ParseInputShape(text); }

// A profile of model-space samples (batch 0: an image folder).
Profile Samples(const std::string& shape, const std::vector<std::pair<int64_t, int64_t>>& hw) {
  Profile p;
  p.input_shape = Shape(shape);
  for (const auto& [h, w] : hw) p.AddSample({0, h, w});
  return p;
}

GearSet Gears(RangeKind kind, const Profile& p, const ScalingConfig& config) {
  Result<GearSet> g = RangeGears(kind, p, p.input_shape, config);
  INFO(g.message());
  REQUIRE(g.ok());
  Status s = CheckGearGuarantees(*g, p.input_shape, config);
  INFO(s.message());
  REQUIRE(s.ok());
  return *g;
}

TEST_CASE("SpacedGears spreads values and always ends at hi", "[range_strategies]") {
  // 128 + 160*i/3 = 128, 181.3, 234.7, 288 -> rounded up to 32.
  CHECK(SpacedGears(128, 288, 4, 32) == Values{128, 192, 256, 288});
  CHECK(SpacedGears(128, 288, 6, 32) == Values{128, 160, 192, 224, 256, 288});
  // More than the span holds is capped at the span.
  CHECK(SpacedGears(128, 192, 50, 32) == Values{128, 160, 192});
  // One value: hi, never MindOCR's hi - interval (which can be 0).
  CHECK(SpacedGears(32, 32, 1, 32) == Values{32});
  CHECK(SpacedGears(32, 640, 1, 32) == Values{640});
}

TEST_CASE("FitGrid keeps the product within the limit", "[range_strategies]") {
  // 4*4 = 16 > 10: h = floor(4*sqrt(10/16)) = 3, w = min(4, 10/3) = 3.
  CHECK(FitGrid(4, 4, 10) == std::make_pair<int64_t, int64_t>(3, 3));
  // 50*3 = 150 > 100: h = floor(50*0.816) = 40, w = min(3, 100/40) = 2; the
  // budget left over goes back to h: min(50, 100/2) = 50.
  CHECK(FitGrid(50, 3, 100) == std::make_pair<int64_t, int64_t>(50, 2));
  // 2*100 > 100: h = floor(2*0.707) = 1, w = 100 (MindOCR's num_h = 1 case).
  CHECK(FitGrid(2, 100, 100) == std::make_pair<int64_t, int64_t>(1, 100));
  // 1*200 > 100: floor(1*0.707) = 0 would be no gear at all; kept at 1.
  CHECK(FitGrid(1, 200, 100) == std::make_pair<int64_t, int64_t>(1, 100));
  CHECK(FitGrid(3, 3, 100) == std::make_pair<int64_t, int64_t>(3, 3));
}

TEST_CASE("mean_std in one dim, by hand", "[range_strategies]") {
  // Widths 100, 200, 300: mean 200, population std sqrt(20000/3) = 81.65.
  // n_std 1: [118.35, 281.65] -> ends rounded up: [128, 288], 6 candidates.
  Profile p = Samples("1,3,48,-1", {{48, 100}, {48, 200}, {48, 300}});
  ScalingConfig c;
  c.n_std = 1;
  GearSet g = Gears(RangeKind::kMeanStd, p, c);
  CHECK(g.width == Values{128, 160, 192, 224, 256, 288});
  CHECK(g.height.empty());
  CHECK(g.hw.front() == HwGear{48, 128});
  CHECK(g.hw.size() == 6);

  // max_scaling_num 4: 128 + 160*i/3 -> 128, 192, 256, 288.
  c.max_scaling_num = 4;
  CHECK(Gears(RangeKind::kMeanStd, p, c).width == Values{128, 192, 256, 288});

  // width_range [150, 250] clips [118.35, 281.65] to [150, 250] -> [160, 256].
  c.max_scaling_num = 100;
  c.width_min = 150;
  c.width_max = 250;
  CHECK(Gears(RangeKind::kMeanStd, p, c).width == Values{160, 192, 224, 256});
}

TEST_CASE("max_min in one dim, by hand", "[range_strategies]") {
  // Heights 40 and 100 (W fixed at 100): grow = (100-40)*0.2/2 = 6,
  // range [34, 106] -> [64, 128]: 64, 96, 128.
  Profile p = Samples("1,3,-1,100", {{40, 100}, {100, 100}});
  GearSet g = Gears(RangeKind::kMaxMin, p, ScalingConfig{});
  CHECK(g.height == Values{64, 96, 128});
  CHECK(g.width.empty());
  CHECK(g.hw == std::vector<HwGear>{{64, 100}, {96, 100}, {128, 100}});
}

TEST_CASE("max_min in two dims: the grid and limit_side_len", "[range_strategies]") {
  // limit_side_len 100, interval 32: no gear above 128 can serve anything.
  // expand_ratio 2: heights 50, 100 -> [0, 150] -> clipped [1, 128] -> 32..128;
  // widths 60, 100 -> [20, 140] -> [20, 128] -> 32..128. 4 x 4 = 16 pairs.
  Profile p = Samples("1,3,-1,-1", {{50, 60}, {100, 100}});
  ScalingConfig c;
  c.limit_side_len = 100;
  c.expand_ratio = 2;
  GearSet g = Gears(RangeKind::kMaxMin, p, c);
  CHECK(g.height == Values{32, 64, 96, 128});
  CHECK(g.width == Values{32, 64, 96, 128});
  CHECK(g.hw.size() == 16);

  // max_scaling_num 10: 16 > 10 -> 3 x 3 (see FitGrid); 32 + 96*i/2 -> 32, 96, 128.
  c.max_scaling_num = 10;
  g = Gears(RangeKind::kMaxMin, p, c);
  CHECK(g.height == Values{32, 96, 128});
  CHECK(g.width == Values{32, 96, 128});
  CHECK(g.hw.size() == 9);
}

TEST_CASE("A grid forced to one height keeps only the largest", "[range_strategies]") {
  // Heights 32 and 64 (2 candidates), widths 32..3200 (100 candidates):
  // 200 > 100 -> 1 x 100. MindOCR would emit [32, 64] here: 200 gears.
  Profile p = Samples("1,3,-1,-1", {{32, 32}, {64, 3200}});
  ScalingConfig c;
  c.limit_side_len = 4000;
  c.expand_ratio = 0;
  GearSet g = Gears(RangeKind::kMaxMin, p, c);
  CHECK(g.height == Values{64});
  CHECK(g.width.size() == 100);
  CHECK(g.width.front() == 32);
  CHECK(g.width.back() == 3200);
  CHECK(g.hw.size() == 100);
}

TEST_CASE("Identical samples still give two positive gears", "[range_strategies]") {
  ScalingConfig c;
  // Every width 20: range [20, 20] -> one gear, 32. MindOCR returns
  // [32 - 32, 32] = [0, 32]; here the next multiple is added.
  Profile one = Samples("1,3,48,-1", {{48, 20}, {48, 20}});
  for (RangeKind kind : {RangeKind::kMeanStd, RangeKind::kMaxMin})
    CHECK(Gears(kind, one, c).width == Values{32, 64});

  // At the top of width_range the next multiple is out of bounds: the one
  // below is used.
  Profile top = Samples("1,3,48,-1", {{48, 8192}});
  CHECK(Gears(RangeKind::kMeanStd, top, c).width == Values{8160, 8192});

  // Two dims, every sample (100, 200): one pair (128, 224), plus the next width.
  Profile both = Samples("1,3,-1,-1", {{100, 200}, {100, 200}});
  CHECK(Gears(RangeKind::kMaxMin, both, c).hw == std::vector<HwGear>{{128, 224}, {128, 256}});

  // One height but varied widths: a one-row grid is already 2 gears.
  Profile row = Samples("1,3,-1,-1", {{100, 64}, {100, 640}});
  GearSet g = Gears(RangeKind::kMaxMin, row, c);
  CHECK(g.height == Values{128});
  CHECK(g.width.size() >= 2);
}

TEST_CASE("Batch gears from box counts", "[range_strategies]") {
  ScalingConfig c;  // choices 1, 4, 8, 16, 32, 64
  Histogram boxes;
  boxes.Add(2);
  boxes.Add(4);
  boxes.Add(6);
  // max_min, expand_ratio 2: [2 - 4, 6 + 4] = [-2, 10] -> 1, 4, 8.
  c.expand_ratio = 2;
  CHECK(RangeBatchGears(RangeKind::kMaxMin, boxes, c) == Values{1, 4, 8});
  // mean 4, std sqrt(8/3) = 1.63; n_std 1: [2.37, 5.63] keeps only 4. Widened
  // by the nearest choice: 1 (1.37 below) before 8 (2.37 above).
  c.n_std = 1;
  CHECK(RangeBatchGears(RangeKind::kMeanStd, boxes, c) == Values{1, 4});

  // Every image has 6 boxes, choices 2, 6, 10: keeps 6; 2 and 10 are both 4
  // away, the larger wins.
  Histogram six;
  six.Add(6, 10);
  c.batch_choices = {2, 6, 10};
  CHECK(RangeBatchGears(RangeKind::kMeanStd, six, c) == Values{6, 10});
  // Every image has 5 boxes, choices 1, 4, 8: none in [5, 5]; 4 and 8.
  Histogram five;
  five.Add(5, 3);
  c.batch_choices = {1, 4, 8};
  CHECK(RangeBatchGears(RangeKind::kMaxMin, five, c) == Values{4, 8});

  // No box counts (an image folder): the choices as they are, at most 100.
  c.batch_choices.clear();
  for (int64_t b = 1; b <= 150; ++b) c.batch_choices.push_back(b);
  Values capped = RangeBatchGears(RangeKind::kMeanStd, Histogram{}, c);
  CHECK(capped.size() == 100);
  CHECK(capped.front() == 1);
  CHECK(capped.back() == 150);
}

TEST_CASE("RangeGears for dynamic batch models", "[range_strategies]") {
  ModelSpace space(Shape("-1,3,48,-1"), 1280);
  Profile p = space.NewProfile();
  space.AddImageBoxes(&p, {{24, 100}, {24, 200}, {24, 100}});  // 3 boxes each
  space.AddImageBoxes(&p, {{24, 100}, {24, 300}, {24, 100}});
  ScalingConfig c;
  GearSet g = Gears(RangeKind::kMaxMin, p, c);
  // Box counts all 3: [3, 3] holds no choice; the nearest are 4 and 1.
  CHECK(g.batch == Values{1, 4});
  // Widths 200, 400, 600 in model space: grow 40 -> [160, 640] -> 160..640.
  CHECK(g.width.front() == 160);
  CHECK(g.width.back() == 640);

  // An N-only model over an image folder: batch_choices as they are.
  ModelSpace folder(Shape("-1,3,32,32"), 1280);
  Profile images = folder.NewProfile();
  folder.AddImage(&images, 100, 100);
  CHECK(Gears(RangeKind::kMeanStd, images, c).batch == c.batch_choices);
  CHECK(Gears(RangeKind::kMeanStd, images, c).hw.empty());

  // One choice cannot make the two gears an N-only model needs.
  c.batch_choices = {8};
  Result<GearSet> one = RangeGears(RangeKind::kMeanStd, images, images.input_shape, c);
  REQUIRE_FALSE(one.ok());
  CHECK(one.message().find("batch_choices") != std::string::npos);
}

TEST_CASE("RangeGears refuses what cannot give two gears", "[range_strategies]") {
  Profile empty;
  empty.input_shape = Shape("1,3,48,-1");
  Result<GearSet> r = RangeGears(RangeKind::kMeanStd, empty, empty.input_shape, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("no samples") != std::string::npos);

  Profile p = Samples("1,3,48,-1", {{48, 100}, {48, 400}});
  ScalingConfig c;
  c.max_scaling_num = 1;
  r = RangeGears(RangeKind::kMaxMin, p, p.input_shape, c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("max_scaling_num") != std::string::npos);
}

// Random datasets and configs: every result keeps the guarantees, and
// max_min over unclipped ranges covers every sample.
TEST_CASE("Range strategies keep the guarantees on random profiles", "[range_strategies]") {
  std::mt19937_64 rng(20240611);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const std::vector<std::string> shapes = {"1,3,-1,-1", "1,3,48,-1", "1,3,-1,64", "-1,3,32,-1",
                                           "-1,3,-1,-1", "-1,3,48,192", "-1,3,-1,32"};
  const int64_t intervals[] = {1, 8, 16, 32, 64, 100};
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    const InputShape shape = Shape(shapes[round % shapes.size()]);
    ScalingConfig c;
    c.interval = intervals[uniform(0, 5)];
    c.n_std = static_cast<double>(uniform(0, 40)) / 10;
    c.expand_ratio = static_cast<double>(uniform(0, 30)) / 10;
    c.max_scaling_num = uniform(2, 100);
    c.limit_side_len = uniform(32, 4000);
    const bool clip = uniform(0, 1) == 1;
    if (clip) {
      c.width_min = uniform(1, 400);
      c.width_max = uniform(c.width_min, 8192);
      c.height_min = uniform(1, 400);
      c.height_max = uniform(c.height_min, 8192);
    } else {
      c.width_min = c.height_min = 1;
      c.width_max = c.height_max = 65536;
    }
    c.batch_choices.clear();
    for (int64_t n = uniform(2, 8); n > 0; --n) c.batch_choices.push_back(uniform(1, 2048));
    std::sort(c.batch_choices.begin(), c.batch_choices.end());
    c.batch_choices.erase(std::unique(c.batch_choices.begin(), c.batch_choices.end()),
                          c.batch_choices.end());
    if (c.batch_choices.size() < 2) c.batch_choices = {1, 2};

    ModelSpace space(shape, c.limit_side_len);
    Profile p = space.NewProfile();
    const int64_t images = uniform(1, 40);
    const bool identical = uniform(0, 4) == 0;
    const bool boxes = uniform(0, 1) == 1;
    for (int64_t i = 0; i < images; ++i) {
      if (!boxes) {
        space.AddImage(&p, identical ? 300 : uniform(8, 3000), identical ? 500 : uniform(8, 3000));
        continue;
      }
      std::vector<BoxSize> crops;
      for (int64_t b = uniform(1, 30); b > 0; --b)
        crops.push_back({static_cast<double>(identical ? 30 : uniform(4, 200)),
                         static_cast<double>(identical ? 90 : uniform(4, 2000))});
      space.AddImageBoxes(&p, crops);
    }
    for (RangeKind kind : {RangeKind::kMeanStd, RangeKind::kMaxMin}) {
      Result<GearSet> g = RangeGears(kind, p, shape, c);
      INFO("round " << round << " shape " << shape.ToString() << " interval " << c.interval);
      REQUIRE(g.ok());
      Status s = CheckGearGuarantees(*g, shape, c);
      INFO(s.message());
      REQUIRE(s.ok());
      if (kind == RangeKind::kMaxMin && !clip && shape.HwDynamic()) {
        Evaluation e = Evaluate(p, *g, shape, c);
        REQUIRE(e.hw);
        CHECK(e.hw->coverage == 1.0);
      }
      ++checked;
    }
  }
  CHECK(checked == 800);
}

}  // namespace
}  // namespace autoscale
