#include "stats/core/gear_set.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

InputShape Shape(const std::string& text) { return *ParseInputShape(text); }

bool Fails(const GearSet& g, const std::string& shape, const std::string& words,
           ScalingConfig config = {}) {
  Status s = CheckGearGuarantees(g, Shape(shape), config);
  INFO("message: " << s.message());
  return !s.ok() && s.message().find(words) != std::string::npos &&
         s.message().find('\n') == std::string::npos;
}

// A valid two-dim set: heights {32, 64} x widths {96, 128}.
GearSet Grid() {
  GearSet g;
  g.hw = {{32, 96}, {32, 128}, {64, 96}, {64, 128}};
  Normalize(&g, Shape("1,3,-1,-1"));
  return g;
}

TEST_CASE("HwFor returns the batch's own gears or the shared ones", "[gear_set]") {
  GearSet g;
  g.batch = {1, 8};
  g.hw = {{48, 64}, {48, 128}};
  g.hw_per_batch[8] = {{48, 256}, {48, 512}};
  CHECK(g.HwFor(1) == g.hw);
  CHECK(g.HwFor(8) == std::vector<HwGear>{{48, 256}, {48, 512}});
  CHECK(g.HwFor(3) == g.hw);
}

TEST_CASE("ToJson lists every kind of gear", "[gear_set]") {
  GearSet g;
  g.batch = {1, 8};
  g.hw = {{48, 64}, {48, 128}};
  g.hw_per_batch[8] = {{48, 256}, {48, 512}};
  Normalize(&g, Shape("-1,3,48,-1"));
  nlohmann::json j = g.ToJson();
  CHECK(j["batch_size"] == nlohmann::json({1, 8}));
  CHECK(j["height"] == nlohmann::json::array());
  CHECK(j["width"] == nlohmann::json({64, 128, 256, 512}));
  CHECK(j["hw"] == nlohmann::json({{48, 64}, {48, 128}}));
  CHECK(j["hw_per_batch"]["8"] == nlohmann::json({{48, 256}, {48, 512}}));
  // Without per-batch gears the key is absent.
  g.hw_per_batch.clear();
  CHECK_FALSE(g.ToJson().contains("hw_per_batch"));
}

TEST_CASE("Normalize with the shape sorts, dedups and fills only dynamic dims", "[gear_set]") {
  GearSet g;
  g.batch = {8, 1, 8};
  g.hw = {{48, 128}, {48, 64}, {48, 128}};
  g.hw_per_batch[1] = {{48, 64}, {48, 128}};  // same as hw once sorted: dropped
  g.hw_per_batch[8] = {{48, 512}, {48, 256}};
  g.height = {999};  // stale; H is fixed
  Normalize(&g, Shape("-1,3,48,-1"));
  CHECK(g.batch == std::vector<int64_t>{1, 8});
  CHECK(g.hw == std::vector<HwGear>{{48, 64}, {48, 128}});
  CHECK(g.hw_per_batch.size() == 1);
  CHECK(g.hw_per_batch.at(8) == std::vector<HwGear>{{48, 256}, {48, 512}});
  CHECK(g.height.empty());
  CHECK(g.width == std::vector<int64_t>{64, 128, 256, 512});

  // Both dynamic, one height: still listed (a grid of one row is legal).
  GearSet row;
  row.hw = {{32, 128}, {32, 64}};
  Normalize(&row, Shape("1,3,-1,-1"));
  CHECK(row.height == std::vector<int64_t>{32});
  CHECK(row.width == std::vector<int64_t>{64, 128});
}

TEST_CASE("Normalize without the shape takes a constant, unlisted dim as fixed", "[gear_set]") {
  GearSet g;
  g.hw = {{48, 128}, {48, 64}};
  Normalize(&g);
  CHECK(g.height.empty());
  CHECK(g.width == std::vector<int64_t>{64, 128});

  GearSet grid;
  grid.hw = {{64, 96}, {32, 96}, {32, 128}};
  Normalize(&grid);
  CHECK(grid.height == std::vector<int64_t>{32, 64});
  CHECK(grid.width == std::vector<int64_t>{96, 128});

  // A caller that lists the dim keeps it listed.
  GearSet row;
  row.hw = {{32, 64}, {32, 128}};
  row.height = {32};
  Normalize(&row);
  CHECK(row.height == std::vector<int64_t>{32});
}

TEST_CASE("CheckGearGuarantees accepts sound sets", "[gear_set]") {
  CHECK(CheckGearGuarantees(Grid(), Shape("1,3,-1,-1"), {}).ok());
  CHECK(CheckGearGuarantees(GearSet{}, Shape("1,3,48,320"), {}).ok());

  GearSet batch;
  batch.batch = {1, 4};
  CHECK(CheckGearGuarantees(batch, Shape("-1,3,48,320"), {}).ok());

  // N and W dynamic: one batch gear is one model, which is fine.
  GearSet nw;
  nw.batch = {8};
  nw.hw = {{48, 64}, {48, 128}};
  Normalize(&nw, Shape("-1,3,48,-1"));
  CHECK(CheckGearGuarantees(nw, Shape("-1,3,48,-1"), {}).ok());
}

TEST_CASE("CheckGearGuarantees names each broken guarantee", "[gear_set]") {
  const std::string both = "1,3,-1,-1";
  GearSet g = Grid();
  g.hw[0].second = 100;  // (32, 100)
  Normalize(&g, Shape(both));
  CHECK(Fails(g, both, "width 100 is not a positive multiple of interval 32"));

  g = Grid();
  g.hw.insert(g.hw.begin(), {0, 96});
  Normalize(&g, Shape(both));
  CHECK(Fails(g, both, "height 0 is not a positive multiple"));

  g = Grid();
  g.hw.push_back(g.hw.back());  // duplicate, not normalized
  CHECK(Fails(g, both, "not distinct and sorted"));

  g = Grid();
  g.hw.resize(1);
  Normalize(&g, Shape(both));
  CHECK(Fails(g, both, "a dynamic model needs at least 2"));

  ScalingConfig three;
  three.max_scaling_num = 3;
  CHECK(Fails(Grid(), both, "4 (h, w) gears, more than 3", three));
  ScalingConfig many;
  many.max_scaling_num = 500;  // never more than 100 whatever is set
  GearSet big;
  for (int64_t w = 1; w <= 101; ++w) big.hw.push_back({32, 32 * w});
  Normalize(&big, Shape("1,3,32,-1"));
  CHECK(Fails(big, "1,3,32,-1", "101 (h, w) gears, more than 100", many));

  GearSet fixed = Grid();
  CHECK(Fails(fixed, "1,3,32,-1", "height 64 differs from the model's fixed 32"));

  GearSet listed;
  listed.hw = {{48, 64}, {48, 128}};
  Normalize(&listed, Shape("1,3,48,-1"));
  listed.height = {48};
  CHECK(Fails(listed, "1,3,48,-1", "height is fixed but lists [48]"));

  GearSet stale = Grid();
  stale.width = {96};
  CHECK(Fails(stale, both, "width list [96] is not the distinct values"));
}

TEST_CASE("CheckGearGuarantees checks batch gears", "[gear_set]") {
  GearSet g;
  g.batch = {4};
  CHECK(Fails(g, "-1,3,48,320", "1 batch gear(s); at least 2 needed"));
  g.batch = {0, 4};
  CHECK(Fails(g, "-1,3,48,320", "batch gear 0 is outside 1..2048"));
  g.batch = {4, 2049};
  CHECK(Fails(g, "-1,3,48,320", "batch gear 2049 is outside 1..2048"));
  g.batch = {4, 4};
  CHECK(Fails(g, "-1,3,48,320", "are not distinct and sorted"));
  g.batch.clear();
  for (int64_t b = 1; b <= 101; ++b) g.batch.push_back(b);
  CHECK(Fails(g, "-1,3,48,320", "101 batch gears, more than 100"));
  g.batch = {1, 4};
  CHECK(Fails(g, "1,3,48,320", "batch is fixed but batch gears [1,4] given"));

  GearSet static_hw;
  static_hw.hw = {{48, 64}, {48, 128}};
  CHECK(Fails(static_hw, "1,3,48,320", "fixed but (h, w) gears are given"));
}

TEST_CASE("CheckGearGuarantees checks every per-batch model", "[gear_set]") {
  const std::string shape = "-1,3,48,-1";
  GearSet g;
  g.batch = {1, 8};
  g.hw = {{48, 64}, {48, 128}};
  g.hw_per_batch[8] = {{48, 256}};
  Normalize(&g, Shape(shape));
  CHECK(Fails(g, shape, "batch 8: 1 (h, w) gear(s)"));

  g.hw_per_batch[8] = {{48, 256}, {48, 512}};
  g.hw_per_batch[4] = {{48, 256}, {48, 512}};
  Normalize(&g, Shape(shape));
  CHECK(Fails(g, shape, "hw_per_batch names batch 4, not a batch gear"));

  g.hw_per_batch.erase(4);
  CHECK(CheckGearGuarantees(g, Shape(shape), {}).ok());
  GearSet fixed_n = g;
  fixed_n.batch.clear();
  CHECK(Fails(fixed_n, "1,3,48,-1", "batch is fixed but hw_per_batch is given"));
}

}  // namespace
}  // namespace autoscale
