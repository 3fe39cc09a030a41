#include "stats/evaluation/cost_plan.h"

#include <catch2/catch.hpp>

#include "stats/core/model_space.h"

namespace autoscale {
namespace {

InputShape Shape(const std::string& text) { return *ParseInputShape(text); }

TEST_CASE("GeometricSubset keeps both ends and spreads in log scale", "[cost_plan]") {
  std::vector<int64_t> values;
  for (int64_t v = 32; v <= 3200; v += 32) values.push_back(v);
  const std::vector<int64_t> s = GeometricSubset(values, 5);
  // Targets 32 * 100^(i/4): 32, 101.2, 320, 1012, 3200.
  CHECK(s == std::vector<int64_t>{32, 128, 320, 1024, 3200});
  CHECK(GeometricSubset({1, 2, 3}, 12) == std::vector<int64_t>{1, 2, 3});
  CHECK(GeometricSubset({1, 2, 3}, 1) == std::vector<int64_t>{3});
}

TEST_CASE("the cost plan: batch candidates x the data's gears", "[cost_plan]") {
  ModelSpace m(Shape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  m.AddImageBoxes(&p, {{48, 100}, {48, 20}, {48, 30000}});  // widths 100, 20, 30000
  ScalingConfig c;
  c.batch_choices = {1, 8};
  c.width_max = 4096;
  const auto shapes = CostPlanShapes(&p, p.input_shape, c);
  // 20 -> 32, 100 -> 128, 30000 -> beyond width_range: the largest gear 4096.
  REQUIRE(shapes.size() == 6);
  CHECK((shapes[0].batch == 1 && shapes[0].height == 48 && shapes[0].width == 32));
  CHECK((shapes[1].batch == 1 && shapes[1].width == 128));
  CHECK((shapes[2].batch == 1 && shapes[2].width == 4096));
  CHECK((shapes[3].batch == 8 && shapes[3].width == 32));
  c.optimal_batch_candidates = "any";
  CHECK(CostPlanShapes(&p, p.input_shape, c).size() == 12 * 3);
  // A fixed N is the only batch.
  CHECK(CostPlanShapes(&p, Shape("2,3,48,-1"), c).size() == 3);
}

TEST_CASE("the cost plan without a dataset uses default_scaling", "[cost_plan]") {
  ScalingConfig c;
  c.batch_choices = {4};
  const auto shapes = CostPlanShapes(nullptr, Shape("-1,3,-1,-1"), c);
  // 20 heights, 29 widths: 12 of each.
  CHECK(shapes.size() == 12 * 12);
  CHECK((shapes.front().height == 32 && shapes.front().width == 64));
  CHECK((shapes.back().height == 640 && shapes.back().width == 960));
}

}  // namespace
}  // namespace autoscale
