#include "stats/strategies/strategy_optimal.h"

#include <catch2/catch.hpp>
#include <functional>
#include <limits>
#include <random>

#include "stats/evaluation/evaluation.h"
#include "stats/strategies/optimal_joint.h"
#include "stats/strategies/strategy.h"

using namespace autoscale;

namespace {

InputShape Shape(const char* s) { return *ParseInputShape(s); }

Profile NewProfile(const InputShape& shape) {
  Profile p;
  p.input_shape = shape;
  p.limit_side_len = 1280;
  return p;
}

// One annotated image whose boxes are 48 high and `widths` wide: its samples,
// its box count and its box list, as a reader records them.
void AddImage(Profile* p, const std::vector<int64_t>& widths) {
  const int64_t k = static_cast<int64_t>(widths.size());
  std::vector<runtime::Item> boxes;
  for (int64_t w : widths) {
    p->AddSample({k, 48, w});
    boxes.push_back({48, w});
  }
  p->AddBoxCount(k);
  p->AddImageBoxes(boxes);
}

// Images with 1..max_boxes boxes each, box sizes in model space drawn from
// a few clusters (as text lines come in a few typical lengths).
Profile RandomBoxes(std::mt19937* rng, const InputShape& shape, int images, int max_boxes,
                    int64_t max_side) {
  Profile p = NewProfile(shape);
  std::uniform_int_distribution<int64_t> boxes(1, max_boxes), side(1, max_side);
  for (int i = 0; i < images; ++i) {
    const int64_t k = boxes(*rng);
    p.AddBoxCount(k);
    for (int64_t b = 0; b < k; ++b) {
      const int64_t h = shape.HeightDynamic() ? side(*rng) : shape.dims[kH];
      const int64_t w = shape.WidthDynamic() ? side(*rng) : shape.dims[kW];
      p.AddSample({k, h, w});
    }
  }
  return p;
}

// An image folder: sizes only, no batch information.
Profile RandomImages(std::mt19937* rng, const InputShape& shape, int images, int64_t max_side) {
  Profile p = NewProfile(shape);
  std::uniform_int_distribution<int64_t> side(1, max_side);
  for (int i = 0; i < images; ++i) {
    const int64_t h = shape.HeightDynamic() ? side(*rng) : shape.dims[kH];
    const int64_t w = shape.WidthDynamic() ? side(*rng) : shape.dims[kW];
    p.AddSample({0, h, w});
  }
  return p;
}

// The routed cost of `g` over the profile, as the evaluation reports it.
double Cost(const Profile& profile, const GearSet& g, const InputShape& shape,
            const ScalingConfig& config) {
  return Evaluate(profile, g, shape, config).cost.total;
}

// The share of images (with a box) whose boxes the largest batch gear holds
// in one call: what optimal.coverage asks of the batch gears.
double SingleCallShare(const Profile& p, const std::vector<int64_t>& batch) {
  double images = 0, held = 0;
  for (const auto& [k, n] : p.batch().counts()) {
    if (k <= 0) continue;
    images += static_cast<double>(n);
    if (k <= batch.back()) held += static_cast<double>(n);
  }
  return images > 0 ? held / images : 1;
}

// Whether some batch model of `g` has a gear holding (h, w).
bool HeldBySomeModel(const GearSet& g, int64_t h, int64_t w) {
  for (int64_t b : g.batch)
    for (const HwGear& gear : g.HwFor(b))
      if (gear.first >= h && gear.second >= w) return true;
  return false;
}

// The routed cost of the profile's images on `g`, height 48 and widths in
// multiples of 32.
double RoutedCost(const Profile& p, const GearSet& g, double call_overhead) {
  JointProblem problem;
  problem.units = JointUnitsOf(p);
  problem.h_values = {48};
  for (int64_t w = 32; w <= 8192; w += 32) problem.w_values.push_back(w);
  problem.cost = runtime::CostModel::Pixels(call_overhead);
  std::map<int64_t, std::vector<HwGear>> hw;
  for (int64_t b : g.batch) hw[b] = g.HwFor(b);
  return JointCost(problem, g.batch, hw);
}

}  // namespace

TEST_CASE("optimal width gears are the exact optimum the evaluation measures", "[optimal]") {
  const InputShape shape = Shape("1,3,48,-1");
  std::mt19937 rng(21);
  ScalingConfig config;
  config.interval = 32;
  for (int round = 0; round < 40; ++round) {
    Profile p = RandomImages(&rng, shape, 1 + static_cast<int>(rng() % 30), 320);
    config.max_scaling_num = 2 + round % 4;
    config.optimal_coverage = round % 2 ? 1.0 : 0.8;
    auto g = OptimalGears(p, shape, config);
    REQUIRE(g.ok());
    REQUIRE(CheckGearGuarantees(*g, shape, config).ok());
    const Evaluation e = Evaluate(p, *g, shape, config);
    INFO("round " << round);
    CHECK(e.width->coverage >= config.optimal_coverage - 1e-12);
    // Every set of 2..max_scaling_num widths out of 32..320 that meets the
    // coverage target costs at least as much, as routed (N is 1: the call
    // overhead is the same for every set).
    const double got = e.cost.total;
    for (uint32_t mask = 0; mask < (1u << 10); ++mask) {
      const int bits = __builtin_popcount(mask);
      if (bits < 2 || bits > config.max_scaling_num) continue;
      GearSet other;
      for (int i = 0; i < 10; ++i)
        if (mask >> i & 1) other.hw.push_back({48, 32 * (i + 1)});
      Normalize(&other, shape);
      const Evaluation oe = Evaluate(p, other, shape, config);
      if (oe.width->coverage < config.optimal_coverage - 1e-12) continue;
      CHECK(got <= oe.cost.total * (1 + 1e-9));
    }
  }
}

TEST_CASE("optimal gears keep the guarantees on random profiles and configs", "[optimal]") {
  std::mt19937 rng(33);
  const char* shapes[] = {"1,3,-1,-1",  "1,3,48,-1",   "1,3,-1,320", "-1,3,48,-1",
                          "-1,3,-1,-1", "-1,3,48,320", "-1,3,-1,100"};
  for (int round = 0; round < 105; ++round) {
    const InputShape shape = Shape(shapes[round % 7]);
    ScalingConfig config;
    config.interval = std::vector<int64_t>{1, 8, 32, 64}[rng() % 4];
    config.max_scaling_num = 2 + static_cast<int64_t>(rng() % 40);
    config.optimal_coverage = std::vector<double>{1.0, 0.999, 0.9, 0.5}[rng() % 4];
    config.optimal_batch_candidates = rng() % 2 ? "any" : "choices";
    config.optimal_max_batch_num = std::vector<int64_t>{0, 2, 3, 7}[rng() % 4];
    if (rng() % 3 == 0) {
      config.width_min = 100;
      config.width_max = 400;
      config.height_max = 300;
    }
    const bool boxes = rng() % 3 != 0;
    // Sizes up to 900 px; at interval 1 up to 120 (the search is slow there
    // by design, and the sanitizer builds run this too).
    const int64_t side = config.interval == 1 ? 120 : 900;
    Profile p = boxes ? RandomBoxes(&rng, shape, 1 + static_cast<int>(rng() % 40), 70, side)
                      : RandomImages(&rng, shape, 1 + static_cast<int>(rng() % 200), side);
    INFO("round " << round << " shape " << shape.ToString() << " interval " << config.interval);
    auto g = ComputeGears(p, shape, config, "optimal");
    INFO(g.message());
    REQUIRE(g.ok());
    CHECK(CheckGearGuarantees(*g, shape, config).ok());
    // Gears stay inside the (rounded) ranges.
    for (const auto& [h, w] : g->hw) {
      if (shape.WidthDynamic())
        CHECK(w <= (config.width_max + config.interval - 1) / config.interval * config.interval);
      if (shape.HeightDynamic())
        CHECK(h <= (config.height_max + config.interval - 1) / config.interval * config.interval);
    }
  }
}

TEST_CASE("optimal gears honour the coverage target", "[optimal]") {
  std::mt19937 rng(44);
  for (const char* s : {"1,3,48,-1", "1,3,-1,-1", "-1,3,48,-1"}) {
    const InputShape shape = Shape(s);
    for (double coverage : {1.0, 0.99, 0.9, 0.6}) {
      ScalingConfig config;
      config.max_scaling_num = 8;
      config.optimal_coverage = coverage;
      Profile p = RandomBoxes(&rng, shape, 150, 12, 1200);
      auto g = OptimalGears(p, shape, config);
      REQUIRE(g.ok());
      const Evaluation e = Evaluate(p, *g, shape, config);
      INFO(s << " coverage " << coverage);
      if (shape.BatchDynamic()) CHECK(SingleCallShare(p, g->batch) >= coverage - 1e-12);
      // Below full coverage the joint search does not apply: every batch
      // model has the gears chosen for all samples.
      if (shape.BatchDynamic() && coverage < 1.0) CHECK(g->hw_per_batch.empty());
      if (shape.BatchDynamic() && coverage == 1.0) {
        // Batch models chosen for the routed cost: every box fits a gear of
        // some model (the router sends it there).
        for (const auto& [key, n] : p.samples()) CHECK(HeldBySomeModel(*g, key.h, key.w));
        continue;
      }
      CHECK(e.hw->coverage >= coverage - 1e-12);
      if (coverage == 1.0) CHECK(e.hw->coverage == 1.0);
    }
  }
  // A lower target lets the rare long samples be shrunk and saves compute.
  const InputShape shape = Shape("1,3,48,-1");
  Profile p = NewProfile(shape);
  p.AddSample({0, 48, 100}, 990);
  p.AddSample({0, 48, 3000}, 10);
  ScalingConfig config;
  config.max_scaling_num = 2;
  auto full = OptimalGears(p, shape, config);
  REQUIRE(full.ok());
  CHECK(full->width == std::vector<int64_t>{128, 3008});
  config.optimal_coverage = 0.99;
  auto most = OptimalGears(p, shape, config);
  REQUIRE(most.ok());
  CHECK(most->width.back() < 3008);
  CHECK(Evaluate(p, *most, shape, config).width->coverage == Approx(0.99));
  CHECK(Cost(p, *most, shape, config) < Cost(p, *full, shape, config));
}

TEST_CASE("optimal pairs are never worse than the grid strategies at the same budget",
          "[optimal]") {
  std::mt19937 rng(55);
  const InputShape shape = Shape("1,3,-1,-1");
  for (int round = 0; round < 20; ++round) {
    ScalingConfig config;
    config.max_scaling_num = 2 + round % 12;
    Profile p = RandomImages(&rng, shape, 300, 1280);
    auto optimal = ComputeGears(p, shape, config, "optimal");
    REQUIRE(optimal.ok());
    // N is 1: every set pays the same call overhead, so the routed cost
    // orders the sets as their padded compute does.
    const double ours = Cost(p, *optimal, shape, config);
    for (const char* other : {"mean_std", "max_min"}) {
      auto g = ComputeGears(p, shape, config, other);
      REQUIRE(g.ok());
      const Evaluation e = Evaluate(p, *g, shape, config);
      INFO("round " << round << " vs " << other);
      // Grids may leave samples uncovered (and so look cheap): compare only
      // with grids that hold everything, as ours does.
      if (e.hw->coverage == 1.0) CHECK(ours <= e.cost.total * (1 + 1e-12));
    }
  }
}

// The batch slots of the calls the evaluation routes, with calls so dear
// that the router makes the fewest (ceil(k / largest gear) for k boxes),
// then pads the fewest slots. On power-of-two gears that is a run of the
// largest gear per full batch and the smallest gear holding the rest: the
// slots the batch solver minimises.
double RoutedSlots(const Profile& p, const GearSet& g, const InputShape& shape) {
  ScalingConfig dear;
  dear.cost_call_overhead = 1e12;
  double slots = 0;
  for (const GearCost& c : Evaluate(p, g, shape, dear).cost.gears)
    slots += static_cast<double>(c.runs) * static_cast<double>(c.batch);
  return slots;
}

TEST_CASE("optimal batch gears are the exact optimum the evaluation measures", "[optimal]") {
  const InputShape shape = Shape("-1,3,48,320");
  std::mt19937 rng(66);
  for (int round = 0; round < 30; ++round) {
    ScalingConfig config;
    config.batch_choices = {1, 2, 4, 8, 16, 32, 64};
    config.optimal_max_batch_num = 2 + round % 3;
    config.optimal_coverage = round % 2 ? 1.0 : 0.75;
    Profile p = RandomBoxes(&rng, shape, 1 + static_cast<int>(rng() % 20), 60, 10);
    auto g = OptimalGears(p, shape, config);
    REQUIRE(g.ok());
    REQUIRE(CheckGearGuarantees(*g, shape, config).ok());
    INFO("round " << round);
    CHECK(SingleCallShare(p, g->batch) >= config.optimal_coverage - 1e-12);
    const double slots = RoutedSlots(p, *g, shape);
    for (uint32_t mask = 0; mask < (1u << 7); ++mask) {
      const int bits = __builtin_popcount(mask);
      if (bits < 2 || bits > config.optimal_max_batch_num) continue;
      GearSet other;
      for (int i = 0; i < 7; ++i)
        if (mask >> i & 1) other.batch.push_back(config.batch_choices[i]);
      if (SingleCallShare(p, other.batch) < config.optimal_coverage - 1e-12) continue;
      CHECK(slots <= RoutedSlots(p, other, shape));
    }
  }
}

TEST_CASE("optimal batch gears: any candidate, budget, and image folders", "[optimal]") {
  const InputShape shape = Shape("-1,3,48,320");
  Profile p = NewProfile(shape);
  for (int64_t k : {5, 5, 5, 11, 11, 23}) {
    p.AddBoxCount(k);
    p.AddSample({k, 48, 320}, static_cast<uint64_t>(k));
  }
  ScalingConfig config;
  config.optimal_batch_candidates = "any";
  config.optimal_max_batch_num = 3;
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  CHECK(g->batch == std::vector<int64_t>{5, 11, 23});  // no padding at all
  config.optimal_batch_candidates = "choices";
  g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  CHECK(g->batch == std::vector<int64_t>{8, 16, 32});
  // An image folder has no box counts: batch_choices, spread over the budget.
  std::mt19937 rng(1);
  Profile folder = RandomImages(&rng, shape, 10, 10);
  config.optimal_max_batch_num = 0;
  g = OptimalGears(folder, shape, config);
  REQUIRE(g.ok());
  CHECK(g->batch == config.batch_choices);
  config.optimal_max_batch_num = 3;
  g = OptimalGears(folder, shape, config);
  REQUIRE(g.ok());
  CHECK(g->batch.size() == 3);
  CHECK(g->batch.front() == 1);
  CHECK(g->batch.back() == 64);
  config.optimal_max_batch_num = 1;
  CHECK_FALSE(OptimalGears(folder, shape, config).ok());
}

TEST_CASE("optimal blames the key that limits the batch gears", "[optimal]") {
  const InputShape shape = Shape("-1,3,48,320");
  std::mt19937 rng(1);
  Profile folder = RandomImages(&rng, shape, 10, 10);
  ScalingConfig config;
  config.batch_choices = {7};
  auto g = OptimalGears(folder, shape, config);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message().find("'batch_choices'") != std::string::npos);
  CHECK(g.message().find("max_batch_num") == std::string::npos);
  config.batch_choices = {1, 4, 8};
  config.optimal_max_batch_num = 1;
  g = OptimalGears(folder, shape, config);
  REQUIRE_FALSE(g.ok());
  CHECK(g.message().find("'optimal.max_batch_num'") != std::string::npos);
}

// Batch gears from {4, 32}, at most 3 width gears per model.
ScalingConfig FourAndThirtyTwo() {
  ScalingConfig config;
  config.max_scaling_num = 3;
  config.batch_choices = {4, 32};
  return config;
}

TEST_CASE("optimal per-batch gears minimise the routed cost", "[optimal]") {
  // Images with few boxes have short text, images with many have long text.
  const InputShape shape = Shape("-1,3,48,-1");
  Profile p = NewProfile(shape);
  for (int i = 0; i < 20; ++i) {
    p.AddBoxCount(2);
    p.AddSample({2, 48, 64 + 32 * (i % 3)}, 2);
    p.AddBoxCount(30);
    p.AddSample({30, 48, 600 + 64 * (i % 5)}, 30);
  }
  ScalingConfig config = FourAndThirtyTwo();
  // A call costs far more than its pixels: each image runs in one call.
  config.cost_call_overhead = 1e7;
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  REQUIRE(CheckGearGuarantees(*g, shape, config).ok());
  CHECK(g->batch == std::vector<int64_t>{4, 32});
  CHECK(g->HwFor(32).back() == HwGear{48, 864});
  // Every batch model on the gears for all samples costs more.
  GearSet shared = *g;
  shared.hw_per_batch.clear();
  const double cost = RoutedCost(p, *g, config.cost_call_overhead);
  CHECK(cost < RoutedCost(p, shared, config.cost_call_overhead));
  // One call per image: the 4 model runs the short texts on a gear of at
  // most 128, the 32 model the long ones on one of at most 864.
  CHECK(cost >= 40 * config.cost_call_overhead);
  CHECK(cost < 40 * config.cost_call_overhead + 20 * (4 * 48 * 128 + 32 * 48 * 864) + 1);
}

TEST_CASE("optimal per-batch gears follow the call overhead", "[optimal]") {
  // Without a call overhead, runs of 4 pad the fewest slots: the 4 model
  // serves the long texts too, and gets wide gears.
  const InputShape shape = Shape("-1,3,48,-1");
  Profile p = NewProfile(shape);
  for (int i = 0; i < 20; ++i) {
    AddImage(&p, std::vector<int64_t>(2, 64 + 32 * (i % 3)));
    // 30 texts of five widths, six of each.
    std::vector<int64_t> widths;
    for (int b = 0; b < 30; ++b) widths.push_back(600 + 64 * (b % 5));
    AddImage(&p, widths);
  }
  ScalingConfig config = FourAndThirtyTwo();
  config.cost_call_overhead = 0;
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  CHECK(g->HwFor(4).back() == HwGear{48, 864});
  GearSet shared = *g;
  shared.hw_per_batch.clear();
  CHECK(RoutedCost(p, *g, 0) <= RoutedCost(p, shared, 0));
}

TEST_CASE("optimal per-batch gears hold the remainder runs of images above the largest gear",
          "[optimal]") {
  // 33 boxes on gears {4, 32}: a run of 32, then one box in the 4 model,
  // which can be any of the image's boxes, wide ones included.
  const InputShape shape = Shape("-1,3,48,-1");
  Profile p = NewProfile(shape);
  for (int i = 0; i < 20; ++i) {
    p.AddBoxCount(2);
    p.AddSample({2, 48, 64}, 2);
  }
  p.AddBoxCount(33);
  p.AddSample({33, 48, 800}, 33);
  const ScalingConfig config = FourAndThirtyTwo();
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  REQUIRE(CheckGearGuarantees(*g, shape, config).ok());
  CHECK(g->HwFor(4).front() == HwGear{48, 64});
  CHECK(g->HwFor(4).back() == HwGear{48, 800});
  Evaluation e = Evaluate(p, *g, shape, config);
  REQUIRE(e.width);
  CHECK(e.width->coverage == 1.0);
}

TEST_CASE("optimal gears: one distinct size still gets two gears at no cost", "[optimal]") {
  ScalingConfig config;
  for (const char* s : {"1,3,48,-1", "1,3,-1,-1"}) {
    const InputShape shape = Shape(s);
    Profile p = NewProfile(shape);
    p.AddSample({0, shape.HeightDynamic() ? 100 : 48, 200}, 7);
    auto g = OptimalGears(p, shape, config);
    REQUIRE(g.ok());
    INFO(s);
    CHECK(g->hw.size() == 2);
    CHECK(CheckGearGuarantees(*g, shape, config).ok());
    // Padding only to the interval: 200 -> 224 (and 100 -> 128).
    const double want = shape.HeightDynamic() ? 128.0 * 224 / (100 * 200) - 1 : 224.0 / 200 - 1;
    CHECK(Evaluate(p, *g, shape, config).cost.padding == Approx(want));
  }
  // At the smallest allowed value the second gear goes above.
  const InputShape shape = Shape("1,3,48,-1");
  Profile p = NewProfile(shape);
  p.AddSample({0, 48, 10}, 3);
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  CHECK(g->width == std::vector<int64_t>{32, 64});
}

TEST_CASE("optimal gears respect the width range and shrink what cannot fit", "[optimal]") {
  const InputShape shape = Shape("1,3,48,-1");
  Profile p = NewProfile(shape);
  p.AddSample({0, 48, 50}, 10);
  p.AddSample({0, 48, 250}, 10);
  p.AddSample({0, 48, 5000}, 1);  // wider than width_range allows
  ScalingConfig config;
  config.width_min = 100;
  config.width_max = 1000;
  config.max_scaling_num = 3;
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  // 50 needs at least the range's 128; 5000 cannot fit and costs the
  // largest gear, so no gear above what the rest need.
  CHECK(g->width == std::vector<int64_t>{128, 256});
  CHECK(Evaluate(p, *g, shape, config).width->coverage == Approx(20.0 / 21));
}

TEST_CASE("optimal gears report what they cannot do", "[optimal]") {
  const InputShape shape = Shape("1,3,48,-1");
  Profile p = NewProfile(shape);
  ScalingConfig config;
  CHECK_FALSE(OptimalGears(p, shape, config).ok());  // no samples
  p.AddSample({0, 48, 100});
  config.max_scaling_num = 1;
  auto one = OptimalGears(p, shape, config);
  REQUIRE_FALSE(one.ok());
  CHECK(one.message().find("max_scaling_num") != std::string::npos);
  config.max_scaling_num = 10;
  config.width_min = 1;
  config.width_max = 20;  // only the gear 32 is allowed
  auto narrow = OptimalGears(p, shape, config);
  REQUIRE_FALSE(narrow.ok());
  CHECK(narrow.message().find("width_range") != std::string::npos);
  // A static shape has nothing to choose.
  auto none = OptimalGears(p, Shape("1,3,48,320"), config);
  REQUIRE(none.ok());
  CHECK(none->hw.empty());
  CHECK(none->batch.empty());
}

TEST_CASE("the cost curve never rises and its last point is at most the optimal gears' cost",
          "[optimal]") {
  const InputShape shape = Shape("-1,3,48,-1");
  Profile p = NewProfile(shape);
  for (int i = 0; i < 40; ++i) {
    std::vector<int64_t> widths;
    for (int b = 0; b < 1 + i % 7; ++b) widths.push_back(40 + 37 * ((i * 5 + b * 11) % 23));
    AddImage(&p, widths);
  }
  ScalingConfig config = FourAndThirtyTwo();
  config.max_scaling_num = 6;
  auto g = OptimalGears(p, shape, config);
  REQUIRE(g.ok());
  const auto curve = OptimalCostCurve(p, shape, config, g->batch);
  REQUIRE(curve.size() == 6);
  for (size_t k = 0; k < curve.size(); ++k) {
    CHECK(curve[k].first == static_cast<int64_t>(k + 1));
    if (k > 0) CHECK(curve[k].second <= curve[k - 1].second);
  }
  // One gear per model pays for padding every box to the widest.
  CHECK(curve.front().second > curve.back().second);
  const double chosen = Evaluate(p, *g, shape, config).cost.total;
  CHECK(curve.back().second <= chosen * (1 + 1e-9));
  // Nothing to choose with H and W fixed.
  CHECK(OptimalCostCurve(p, Shape("-1,3,48,320"), config, g->batch).empty());
}
