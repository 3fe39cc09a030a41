#include "stats/evaluation/evaluation.h"

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
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  CHECK_FALSE(e.batch);
  CHECK_FALSE(e.height);
  REQUIRE(e.width);
  REQUIRE(e.hw);
  // 50 -> 64 (twice), 100 -> 128, 200 -> no gear, shrunk into 128.
  // covered 3 of 4; served 64+64+128+128 = 384 for 50+50+100+200 = 400.
  // Static width: 200 rounded up = 224, 4 * 224 = 896.
  CHECK(e.width->samples == 4);
  CHECK(e.width->coverage == Approx(0.75));
  CHECK(e.width->overhead == Approx(384.0 / 400 - 1));
  CHECK(e.width->saving_vs_static == Approx(1 - 384.0 / 896));
  CHECK(e.width->static_width == 224);
  CHECK(e.width->static_height == 0);
  // For one dim the (h, w) figures are the dim's (H = 32 cancels).
  CHECK(e.hw->coverage == Approx(e.width->coverage));
  CHECK(e.hw->overhead == Approx(e.width->overhead));
  CHECK(e.hw->saving_vs_static == Approx(e.width->saving_vs_static));
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
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  REQUIRE(e.hw);
  // (30,100) -> (32,128) 4096; (60,60) -> (64,64) 4096; (60,100) -> (128,128)
  // 16384; (200,50) fits nothing -> largest (128,128) 16384. Served 40960,
  // samples 3000+3600+6000+10000 = 22600. Static (224, 128): 4*28672.
  CHECK(e.hw->coverage == Approx(0.75));
  CHECK(e.hw->overhead == Approx(40960.0 / 22600 - 1));
  CHECK(e.hw->saving_vs_static == Approx(1 - 40960.0 / (4 * 28672)));
  CHECK(e.hw->static_height == 224);
  CHECK(e.hw->static_width == 128);
  // Heights {32, 64, 128}: 30->32, 60->64 twice, 200->shrunk 128.
  // 288 for 350; static 224*4 = 896.
  REQUIRE(e.height);
  CHECK(e.height->coverage == Approx(0.75));
  CHECK(e.height->overhead == Approx(288.0 / 350 - 1));
  CHECK(e.height->saving_vs_static == Approx(1 - 288.0 / 896));
  // Widths {64, 128}: 100->128, 60->64, 100->128, 50->64: all fit.
  // 384 for 310; static 128*4 = 512.
  REQUIRE(e.width);
  CHECK(e.width->coverage == Approx(1.0));
  CHECK(e.width->overhead == Approx(384.0 / 310 - 1));
  CHECK(e.width->saving_vs_static == Approx(0.25));
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
  Evaluation e = Evaluate(p, Normalized(g, shape), Shape(shape), {});
  CHECK(e.hw->coverage == 0);
  CHECK(e.hw->overhead == Approx(4096.0 / 1.2089258196146292e24 - 1));
  CHECK(e.hw->static_height == 1280);  // limit_side_len caps the static shape
}

TEST_CASE("Batch: one run per image, split above the largest gear", "[evaluation]") {
  const std::string shape = "-1,3,48,320";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddBoxCount(1, 3);
  p.AddBoxCount(3);
  p.AddBoxCount(8);
  p.AddBoxCount(19);
  GearSet g;
  g.batch = {1, 4, 8};
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  CHECK_FALSE(e.hw);
  REQUIRE(e.batch);
  // 1 box -> gear 1 (x3: 3 runs, 3 slots); 3 -> gear 4; 8 -> gear 8;
  // 19 -> 8 + 8 + (3 -> gear 4): 3 runs, 20 slots, not one run.
  // Runs 3+1+1+3 = 8, slots 3+4+8+20 = 35, boxes 3+3+8+19 = 33.
  // One static batch of 19 (the largest box count): 6 runs of 19 slots.
  CHECK(e.batch->images == 6);
  CHECK(e.batch->boxes == 33);
  CHECK(e.batch->runs == 8);
  CHECK(e.batch->slots == 35);
  CHECK(e.batch->coverage == Approx(5.0 / 6));
  CHECK(e.batch->overhead == Approx(35.0 / 33 - 1));
  CHECK(e.batch->saving_vs_static == Approx(1 - 35.0 / 114));

  // An exact multiple of the largest gear needs no remainder run.
  Profile sixteen;
  sixteen.AddBoxCount(16);
  Evaluation s = Evaluate(sixteen, g, Shape(shape), {});
  CHECK(s.batch->runs == 2);
  CHECK(s.batch->slots == 16);
  CHECK(s.batch->overhead == Approx(0));
  // The static batch is 16 here: the same slots, no saving.
  CHECK(s.batch->saving_vs_static == Approx(0));
}

TEST_CASE("Batch figures need box counts", "[evaluation]") {
  // An image folder with N dynamic: no box count, nothing to measure.
  const std::string shape = "-1,3,-1,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({0, 100, 100});
  GearSet g;
  g.batch = {1, 4};
  g.hw = {{128, 128}, {128, 256}};
  g = Normalized(g, shape);
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  CHECK_FALSE(e.batch);
  REQUIRE(e.hw);
  CHECK(e.hw->coverage == 1);
}

// Batch gears {2, 8}: the 2 model has widths {64, 128}, the 8 model {256, 512}.
GearSet TwoBatchModels(const std::string& shape) {
  GearSet g;
  g.batch = {2, 8};
  g.hw = {{32, 64}, {32, 128}};
  g.hw_per_batch[8] = {{32, 256}, {32, 512}};
  return Normalized(g, shape);
}

TEST_CASE("hw_per_batch: a sample uses its batch gear's (h, w) gears", "[evaluation]") {
  const std::string shape = "-1,3,32,-1";
  Profile p;
  p.input_shape = Shape(shape);
  p.AddSample({1, 32, 100});   // batch gear 2 -> hw {64, 128}: 128
  p.AddSample({5, 32, 100});   // batch gear 8 -> {256, 512}: 256
  p.AddSample({20, 32, 600});  // above every batch gear: 8's, shrunk into 512
  p.AddSample({2, 32, 200});   // batch gear 2: nothing holds 200, shrunk into 128
  const GearSet g = TwoBatchModels(shape);
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  REQUIRE(e.width);
  // Served 128 + 256 + 512 + 128 = 1024 for 1000; static 608 * 4 = 2432.
  CHECK(e.width->coverage == Approx(0.5));
  CHECK(e.width->overhead == Approx(0.024));
  CHECK(e.width->saving_vs_static == Approx(1 - 1024.0 / 2432));
  CHECK(e.hw->overhead == Approx(0.024));

  // N fixed: per-batch gears do not apply; `hw` serves all (600 and 200
  // shrunk into 128): 128*4 = 512.
  Evaluation fixed = Evaluate(p, g, Shape("1,3,32,-1"), {});
  CHECK(fixed.width->overhead == Approx(512.0 / 1000 - 1));
}

TEST_CASE("hw_per_batch: an image above the largest batch gear counts in both models it runs in",
          "[evaluation]") {
  const std::string shape = "-1,3,32,-1";
  Profile p;
  p.input_shape = Shape(shape);
  // 9 boxes on gears {2, 8}: one run of 8 (8 model), one of 1 (2 model).
  p.AddSample({9, 32, 100});  // 8/9 in 256, 1/9 in 128
  p.AddSample({9, 32, 200});  // 8/9 in 256, 1/9 shrunk into 128
  const GearSet g = TwoBatchModels(shape);
  Evaluation e = Evaluate(p, g, Shape(shape), {});
  REQUIRE(e.width);
  const double served = 2 * (128.0 / 9 + 256.0 * 8 / 9);
  CHECK(e.width->overhead == Approx(served / 300 - 1));
  CHECK(e.width->coverage == Approx((1 + 8.0 / 9) / 2));
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
  // The independent batch and per-dim overheads are not reported: only cost.
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

// The banded index against a plain scan of every gear.
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

    long double served = 0, needed = 0;
    uint64_t covered = 0, total = 0;
    int64_t largest = 0;
    for (const auto& [h, w] : g.hw) largest = std::max(largest, h * w);
    for (const auto& [k, n] : p.samples()) {
      int64_t best = 0;
      for (const auto& [h, w] : g.hw)
        if (h >= k.h && w >= k.w && (best == 0 || h * w < best)) best = h * w;
      covered += best > 0 ? n : 0;
      served += static_cast<long double>(best > 0 ? best : largest) * n;
      needed += static_cast<long double>(k.h) * k.w * n;
      total += n;
    }
    Evaluation e = Evaluate(p, g, Shape(shape), {});
    INFO("round " << round);
    CHECK(e.hw->coverage == Approx(static_cast<double>(covered) / total));
    CHECK(e.hw->overhead == Approx(static_cast<double>(served / needed - 1)));
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
