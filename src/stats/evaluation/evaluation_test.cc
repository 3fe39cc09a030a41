#include "stats/evaluation/evaluation.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "stats/core/model_space.h"

namespace autoscale {
namespace {

using Approx = Catch::Detail::Approx;

InputShape Shape(const std::string& text) { return *ParseInputShape(text); }

GearSet Normalized(GearSet g, const std::string& shape) {
  Normalize(&g, Shape(shape));
  return g;
}

// The pixel cost model without a per-call cost: a call costs n*h*w.
ScalingConfig NoCallOverhead() {
  ScalingConfig c;
  c.cost_call_overhead = 0;
  return c;
}

TEST_CASE("One dim: cheapest gear, uncovered samples shrunk", "[evaluation]") {
  const std::string shape = "1,3,32,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({0, 32, 50}, 2);
  p.AddSample({0, 32, 100});
  p.AddSample({0, 32, 200});
  GearSet g;
  g.hw = {{32, 64}, {32, 128}};
  g = Normalized(g, shape);
  Evaluation e = Evaluate(p, g, Shape(shape), NoCallOverhead());
  CHECK_FALSE(e.height);
  REQUIRE(e.width);
  REQUIRE(e.hw);
  // 50 -> 64 (twice), 100 -> 128, 200 -> no gear, shrunk into 128.
  // covered 3 of 4; one call each: 32 * (64+64+128+128) = 32 * 384 for
  // 32 * (50+50+100+128) served. Static width: 200 rounded up = 224.
  CHECK(e.width->samples == 4);
  CHECK(e.width->coverage == Approx(0.75));
  CHECK(e.width->static_width == 224);
  CHECK(e.width->static_height == 0);
  CHECK(e.cost.total == Approx(32 * 384));
  CHECK(e.cost.calls == 4);
  CHECK(e.cost.padding == Approx(384.0 / 328 - 1));
  CHECK(e.cost.static_total == Approx(4 * 32 * 224));
  CHECK(e.cost.saving_vs_static == Approx(1 - 384.0 / 896));
  CHECK(e.cost.shrunk == 1);
  // For one dim the (h, w) coverage is the dim's.
  CHECK(e.hw->coverage == Approx(e.width->coverage));
  CHECK(e.hw->samples == 4);
  CHECK(e.hw->static_height == 32);
  CHECK(e.hw->static_width == 224);
}

TEST_CASE("Two dims: pairs, marginals and the static shape", "[evaluation]") {
  const std::string shape = "1,3,-1,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({0, 30, 100});
  p.AddSample({0, 60, 60});
  p.AddSample({0, 60, 100});
  p.AddSample({0, 200, 50});
  GearSet g;
  g.hw = {{32, 128}, {64, 64}, {128, 128}};
  g = Normalized(g, shape);
  Evaluation e = Evaluate(p, g, Shape(shape), NoCallOverhead());
  REQUIRE(e.hw);
  // (30,100) -> (32,128) 4096; (60,60) -> (64,64) 4096; (60,100) -> (128,128)
  // 16384; (200,50) fits nothing -> clamped to (128,50) in (128,128) 16384.
  // One call each: 40960. Static (224, 128): 4*28672.
  CHECK(e.hw->coverage == Approx(0.75));
  CHECK(e.hw->samples == 4);
  CHECK(e.cost.total == Approx(40960));
  CHECK(e.cost.saving_vs_static == Approx(1 - 40960.0 / (4 * 28672)));
  CHECK(e.cost.coverage == Approx(e.hw->coverage));
  CHECK(e.hw->static_height == 224);
  CHECK(e.hw->static_width == 128);
  // Gear heights up to 128: 30, 60, 60 fit, 200 does not.
  REQUIRE(e.height);
  CHECK(e.height->coverage == Approx(0.75));
  CHECK(e.height->static_height == 224);
  // Gear widths up to 128: 100, 60, 100, 50 all fit (the (200, 50) sample
  // too: its width fits a gear though no gear holds the sample).
  REQUIRE(e.width);
  CHECK(e.width->coverage == Approx(1.0));
  CHECK(e.width->static_width == 128);
}

TEST_CASE("The static shape is capped at limit_side_len", "[evaluation]") {
  const std::string shape = "1,3,-1,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({0, 1010, 10});
  GearSet g;
  g.hw = {{32, 32}, {992, 32}};
  g = Normalized(g, shape);
  ScalingConfig c;
  c.limit_side_len = 990;  // rounded up to 992; 1010 would round to 1024
  Evaluation e = Evaluate(p, g, Shape(shape), c);
  CHECK(e.hw->static_height == 992);
  CHECK(e.hw->static_width == 32);
  CHECK(e.hw->coverage == 0);
}

TEST_CASE("Huge samples from a hand-made profile stay finite", "[evaluation]") {
  const std::string shape = "1,3,-1,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({0, int64_t{1} << 40, int64_t{1} << 40});
  GearSet g;
  g.hw = {{32, 32}, {64, 64}};
  Evaluation e = Evaluate(p, Normalized(g, shape), Shape(shape), NoCallOverhead());
  CHECK(e.hw->coverage == 0);
  CHECK(e.height->coverage == 0);
  CHECK(e.width->coverage == 0);
  // Clamped to the largest gear: one call of 64 x 64.
  CHECK(e.cost.total == Approx(4096));
  CHECK(e.cost.shrunk == 1);
  CHECK(std::isfinite(e.cost.saving_vs_static));
  CHECK(e.hw->static_height == 1280);  // limit_side_len caps the static shape
}

TEST_CASE("Batch: one call per image, split above the largest gear", "[evaluation]") {
  const std::string shape = "-1,3,48,320";
  Profile p;
  p.input_shape = Shape(shape);
  // Box counts 1 (three images), 3, 8 and 19; every box 48 x 320.
  const std::vector<std::pair<int64_t, uint64_t>> images = {{1, 3}, {3, 1}, {8, 1}, {19, 1}};
  for (const auto& [k, n] : images) {
    p.AddBoxCount(k, n);
    p.AddSample({k, 48, 320}, static_cast<uint64_t>(k) * n);
  }
  GearSet g;
  g.batch = {1, 4, 8};
  // A call costs more than any padding: the fewest calls win, then the
  // fewest slots.
  ScalingConfig c;
  c.cost_call_overhead = 1e9;
  const Evaluation e = Evaluate(p, g, Shape(shape), c);
  CHECK_FALSE(e.hw);
  // 1 box -> gear 1 (x3: 3 calls, 3 slots); 3 -> gear 4; 8 -> gear 8;
  // 19 -> 8 + 8 + (3 -> gear 4): 3 calls, 20 slots.
  // Calls 3+1+1+3 = 8, slots 3+4+8+20 = 35, boxes 3+3+8+19 = 33.
  const double slot = 48 * 320;
  CHECK(e.cost.images == 6);
  CHECK(e.cost.boxes == 33);
  CHECK(e.cost.calls == 8);
  CHECK(e.cost.total == Approx(8 * 1e9 + 35 * slot));
  CHECK(e.cost.padding == Approx(35.0 / 33 - 1));
  REQUIRE(e.cost.gears.size() == 3);
  CHECK((e.cost.gears[0].batch == 1 && e.cost.gears[0].runs == 3));
  CHECK((e.cost.gears[1].batch == 4 && e.cost.gears[1].runs == 2));
  CHECK((e.cost.gears[2].batch == 8 && e.cost.gears[2].runs == 3));
  // One static batch of 19 (the largest box count): 6 calls of 19 slots.
  CHECK(e.cost.static_total == Approx(6 * (1e9 + 19 * slot)));

  // An exact multiple of the largest gear needs no remainder call.
  Profile sixteen;
  sixteen.input_shape = Shape(shape);
  sixteen.AddBoxCount(16);
  sixteen.AddSample({16, 48, 320}, 16);
  const Evaluation s = Evaluate(sixteen, g, Shape(shape), c);
  CHECK(s.cost.calls == 2);
  CHECK(s.cost.gears[2].runs == 2);
  CHECK(s.cost.padding == Approx(0));
}

TEST_CASE("An image folder with N dynamic is evaluated", "[evaluation]") {
  const std::string shape = "-1,3,-1,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({0, 100, 100});
  GearSet g;
  g.batch = {1, 4};
  g.hw = {{128, 128}, {128, 256}};
  g = Normalized(g, shape);
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  REQUIRE(e.hw);
  CHECK(e.hw->coverage == 1);
  CHECK(e.cost.calls == 1);
}

// Batch gears {2, 8}: the 2 model has widths {64, 128}, the 8 model {256, 512}.
GearSet TwoBatchModels(const std::string& shape) {
  GearSet g;
  g.batch = {2, 8};
  g.hw = {{32, 64}, {32, 128}};
  g.hw_per_batch[8] = {{32, 256}, {32, 512}};
  return Normalized(g, shape);
}

// One image per box list, height 32 fixed.
Profile ImagesOfWidths(const std::vector<std::vector<double>>& images) {
  ModelSpace m(Shape("-1,3,32,-1"), 1280);
  Profile p = m.NewProfile();
  for (const auto& widths : images) {
    std::vector<BoxSize> boxes;
    for (double w : widths) boxes.push_back({32, w});
    m.AddImageBoxes(&p, boxes);
  }
  return p;
}

// A call costs more than any padding here: the fewest calls win.
ScalingConfig DearCalls() {
  ScalingConfig c;
  c.cost_call_overhead = 1e6;
  return c;
}

TEST_CASE("hw_per_batch: each batch model routes on its own (h, w) gears", "[evaluation]") {
  const std::string shape = "-1,3,32,-1";
  // 1 box of 100: batch 2 at 128. 5 boxes of 100: one call of batch 8 at
  // 256 (the 2 model would take 3). 1 box of 200: only the 8 model holds
  // it, at 256. 1 box of 600: no gear holds it; clamped to 512.
  const Profile p = ImagesOfWidths({{100}, {100, 100, 100, 100, 100}, {200}, {600}});
  const GearSet g = TwoBatchModels(shape);
  const Evaluation e = Evaluate(p, g, Shape(shape), DearCalls());
  CHECK(e.cost.calls == 4);
  CHECK(e.cost.total == Approx(4e6 + 2 * 32 * 128 + 2 * 8 * 32 * 256 + 8 * 32 * 512));
  CHECK(e.cost.shrunk == 1);
  REQUIRE(e.cost.gears.size() == 4);
  CHECK((e.cost.gears[1].batch == 2 && e.cost.gears[1].w == 128 && e.cost.gears[1].samples == 1));
  CHECK((e.cost.gears[2].batch == 8 && e.cost.gears[2].w == 256 && e.cost.gears[2].samples == 6));
  CHECK((e.cost.gears[3].batch == 8 && e.cost.gears[3].w == 512 && e.cost.gears[3].samples == 1));
  // Coverage counts a width any model holds: all but 600 (7 of 8 boxes).
  REQUIRE(e.width);
  CHECK(e.width->coverage == Approx(7.0 / 8));
  CHECK(e.hw->coverage == Approx(7.0 / 8));

  // N fixed: per-batch gears do not apply; `hw` serves all, one box a call
  // (200 and 600 clamped to 128).
  const Evaluation fixed = Evaluate(p, g, Shape("1,3,32,-1"), DearCalls());
  CHECK(fixed.cost.calls == 8);
  CHECK(fixed.cost.total == Approx(8 * (1e6 + 32 * 128)));
  CHECK(fixed.width->coverage == Approx(6.0 / 8));
}

TEST_CASE("hw_per_batch: an image above the largest batch gear runs in both models",
          "[evaluation]") {
  const std::string shape = "-1,3,32,-1";
  // 9 boxes on gears {2, 8}: one call of the 8 model at 256 and one of the
  // 2 model at 128 (which boxes ride in which is a tie: any 1 or 2 of them).
  const Profile p = ImagesOfWidths({std::vector<double>(9, 100)});
  const Evaluation e = Evaluate(p, TwoBatchModels(shape), Shape(shape), DearCalls());
  CHECK(e.cost.calls == 2);
  CHECK(e.cost.total == Approx(2e6 + 2 * 32 * 128 + 8 * 32 * 256));
  const uint64_t in_two = e.cost.served.at(2).at({32, 100});
  CHECK(in_two >= 1);
  CHECK(in_two <= 2);
  CHECK(e.cost.served.at(8).at({32, 100}) == 9 - in_two);
  CHECK(e.width->coverage == 1);
}

TEST_CASE("Evaluation ToJson has only the dims that apply", "[evaluation]") {
  const std::string shape = "-1,3,48,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddBoxCount(2);
  p.AddSample({2, 48, 100}, 2);
  GearSet g;
  g.batch = {1, 2};
  g.hw = {{48, 128}, {48, 256}};
  g = Normalized(g, shape);
  nlohmann::json j = Evaluate(p, g, Shape(shape), {}).ToJson();
  CHECK_FALSE(j.contains("height"));
  // Only the routed cost prices the gears: no per-dim or batch figure.
  CHECK_FALSE(j.contains("batch"));
  CHECK_FALSE(j["width"].contains("overhead"));
  CHECK_FALSE(j["hw"].contains("saving_vs_static"));
  for (const char* key : {"total", "unit", "calls", "per_image", "per_box", "padding",
                          "saving_vs_static", "coverage", "shrunk"})
    CHECK(j["cost"].contains(key));
  CHECK(j["cost"]["unit"] == "px");
  CHECK(j["gear_cost"].size() == 4);
  CHECK(j["width"]["samples"] == 2);
  CHECK(j["width"]["static_width"] == 128);
  CHECK_FALSE(j["width"].contains("static_height"));
  CHECK(j["hw"]["static_height"] == 48);
  CHECK(j["hw"]["static_width"] == 128);
  CHECK(j["hw"]["coverage"] == 1.0);
}

// Coverage and the routed cost of one-sample calls against a plain scan of
// every gear.
TEST_CASE("Evaluation matches a brute-force search on random sets", "[evaluation]") {
  std::mt19937_64 rng(7);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const std::string shape = "1,3,-1,-1";
  for (int round = 0; round < 50; ++round) {
    GearSet g;
    for (int64_t i = uniform(1, 60); i > 0; --i) g.hw.push_back({32 * uniform(1, 20), 32 * uniform(1, 20)});
    g = Normalized(g, shape);
    Profile p;
    p.input_shape = Shape(shape);
    for (int64_t i = uniform(1, 300); i > 0; --i)
      p.AddSample({0, uniform(1, 700), uniform(1, 700)}, static_cast<uint64_t>(uniform(1, 3)));

    // A shrunk sample is clamped to the first gear of the largest area by
    // (h, w), then served like any other.
    std::vector<HwGear> sorted = g.hw;
    std::sort(sorted.begin(), sorted.end());
    HwGear largest = sorted.front();
    for (const HwGear& x : sorted)
      if (x.first * x.second > largest.first * largest.second) largest = x;
    const auto cheapest = [&](int64_t sh, int64_t sw) {
      int64_t best = 0;
      for (const auto& [h, w] : g.hw)
        if (h >= sh && w >= sw && (best == 0 || h * w < best)) best = h * w;
      return best;
    };
    long double total = 0;
    uint64_t covered = 0, covered_h = 0, covered_w = 0, samples = 0;
    int64_t top_h = 0, top_w = 0;
    for (const auto& [h, w] : g.hw) {
      top_h = std::max(top_h, h);
      top_w = std::max(top_w, w);
    }
    for (const auto& [k, n] : p.samples()) {
      int64_t best = cheapest(k.h, k.w);
      covered += best > 0 ? n : 0;
      covered_h += k.h <= top_h ? n : 0;
      covered_w += k.w <= top_w ? n : 0;
      if (best == 0) best = cheapest(std::min(k.h, largest.first), std::min(k.w, largest.second));
      total += static_cast<long double>(best) * n;
      samples += n;
    }
    Evaluation e = Evaluate(p, g, Shape(shape), NoCallOverhead());
    INFO("round " << round);
    CHECK(e.hw->coverage == Approx(static_cast<double>(covered) / samples));
    CHECK(e.height->coverage == Approx(static_cast<double>(covered_h) / samples));
    CHECK(e.width->coverage == Approx(static_cast<double>(covered_w) / samples));
    CHECK(e.cost.total == Approx(static_cast<double>(total)));
  }
}

// Two identical images with boxes 100 and 200 wide, one with four boxes
// 100 wide; height 48 fixed.
Profile RoutedProfile() {
  ModelSpace m(Shape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  for (int i = 0; i < 2; ++i) m.AddImageBoxes(&p, {{48, 100}, {48, 200}});
  m.AddImageBoxes(&p, {{48, 100}, {48, 100}, {48, 100}, {48, 100}});
  return p;
}

GearSet RoutedGears() {
  GearSet g;
  g.batch = {1, 4};
  g.hw = {{48, 128}, {48, 256}};
  return Normalized(g, "-1,3,48,-1");
}

TEST_CASE("Cost: each image's boxes routed into calls at the least cost", "[evaluation]") {
  ScalingConfig c;
  c.cost_call_overhead = 1000;
  const Evaluation e = Evaluate(RoutedProfile(), RoutedGears(), Shape("-1,3,48,-1"), c);
  const CostEvaluation& k = e.cost;
  // Image 100+200: two calls of batch 1, (1000 + 48*128) + (1000 + 48*256) =
  // 20432, cheaper than one call of batch 4 at 256 (1000 + 4*48*256 = 50152).
  // Image 4x100: one call of batch 4 at 128, 1000 + 4*48*128 = 25576,
  // cheaper than four of batch 1 (4 * 7144 = 28576).
  CHECK(k.unit == "px");
  CHECK(k.total == Approx(2 * 20432 + 25576));
  CHECK(k.calls == 5);
  CHECK(k.images == 3);
  CHECK(k.boxes == 8);
  CHECK(k.per_image == Approx(66440.0 / 3));
  CHECK(k.per_box == Approx(66440.0 / 8));
  // Padded: 2 * 48 * (128 + 256) + 4 * 48 * 128; served: 48 * (2 * 300 + 400).
  CHECK(k.padding == Approx(61440.0 / 48000 - 1));
  CHECK(k.coverage == 1);
  CHECK(k.shrunk == 0);
  // Static: batch 4 (the most boxes) at 48 x 224 (200 rounded up to 32):
  // one call per image, 1000 + 4*48*224 = 44008.
  CHECK(k.static_total == Approx(3 * 44008));
  CHECK(k.saving_vs_static == Approx(1 - 66440.0 / (3 * 44008)));
  REQUIRE(k.gears.size() == 4);
  CHECK((k.gears[0].batch == 1 && k.gears[0].w == 128 && k.gears[0].runs == 2));
  CHECK(k.gears[0].cost == Approx(2 * 7144));
  CHECK((k.gears[1].batch == 1 && k.gears[1].w == 256 && k.gears[1].runs == 2));
  CHECK(k.gears[1].cost == Approx(2 * 13288));
  CHECK((k.gears[2].batch == 4 && k.gears[2].w == 128 && k.gears[2].runs == 1));
  CHECK(k.gears[2].cost == Approx(25576));
  CHECK((k.gears[3].batch == 4 && k.gears[3].w == 256 && k.gears[3].runs == 0));
  CHECK(k.gears[0].samples == 2);
  CHECK(k.gears[1].samples == 2);
  CHECK(k.gears[2].samples == 4);
  CHECK(k.gears[3].samples == 0);
  // What each batch model serves, as routed.
  CHECK(k.served.at(1).at({48, 100}) == 2);
  CHECK(k.served.at(1).at({48, 200}) == 2);
  CHECK(k.served.at(4).at({48, 100}) == 4);
}

TEST_CASE("Cost: with no call overhead the cost is the padded pixels", "[evaluation]") {
  ScalingConfig c;
  c.cost_call_overhead = 0;
  const Evaluation e = Evaluate(RoutedProfile(), RoutedGears(), Shape("-1,3,48,-1"), c);
  // Every box in its smallest gear: 2 * 48 * (128 + 256) + 4 * 48 * 128; the
  // four 100-wide boxes cost the same alone or together, and the tie goes to
  // fewer calls.
  CHECK(e.cost.total == Approx(61440));
  CHECK(e.cost.calls == 5);
  CHECK(e.cost.padding == Approx(61440.0 / 48000 - 1));
}

TEST_CASE("Cost: a box no gear holds is clamped and counted shrunk", "[evaluation]") {
  ModelSpace m(Shape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  m.AddImageBoxes(&p, {{48, 300}});
  m.AddImageBoxes(&p, {{48, 100}});
  ScalingConfig c;
  c.cost_call_overhead = 0;
  const Evaluation e = Evaluate(p, RoutedGears(), Shape("-1,3,48,-1"), c);
  CHECK(e.cost.shrunk == 1);
  CHECK(e.cost.coverage == Approx(0.5));
  // 300 runs clamped at 256 (served at its clamped size: no padding there).
  CHECK(e.cost.total == Approx(48 * 256 + 48 * 128));
  CHECK(e.cost.padding == Approx((48.0 * 256 + 48 * 128) / (48 * 256 + 48 * 100) - 1));
  CHECK(e.cost.served.at(1).at({48, 256}) == 1);
}

TEST_CASE("Cost: a cost table prices calls in ms", "[evaluation]") {
  ScalingConfig c;
  c.cost_rows = {{1, 48, 128, 1.0}, {1, 48, 256, 1.5}, {4, 48, 128, 2.0}, {4, 48, 256, 3.5}};
  REQUIRE(ValidateConfig(c).ok());
  const Evaluation e = Evaluate(RoutedProfile(), RoutedGears(), Shape("-1,3,48,-1"), c);
  CHECK(e.cost.unit == "ms");
  // Image 100+200: 1 + 1.5 (batch 1 twice) beats 3.5; image 4x100: 2 beats 4 x 1.
  CHECK(e.cost.total == Approx(2 * 2.5 + 2));
  CHECK(e.cost.calls == 5);
}

TEST_CASE("Cost: an image folder with dynamic N is batched as one unit", "[evaluation]") {
  ModelSpace m(Shape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  for (int i = 0; i < 5; ++i) m.AddImage(&p, 48, 100);
  ScalingConfig c;
  c.cost_call_overhead = 1000;
  const Evaluation e = Evaluate(p, RoutedGears(), Shape("-1,3,48,-1"), c);
  // Five images: one call of 4 and one of 1 at 128.
  CHECK(e.cost.total == Approx((1000 + 4 * 6144) + (1000 + 6144)));
  CHECK(e.cost.calls == 2);
  CHECK(e.cost.images == 5);
}

}  // namespace
}  // namespace autoscale
