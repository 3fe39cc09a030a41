#include "stats/report/svg/svg_cost_curve.h"

#include <catch2/catch.hpp>

#include "support/html_search.h"

namespace autoscale {
namespace {

using test::CountOf;

TEST_CASE("the cost curve draws one point per gear count, joined in order", "[report]") {
  CostCurveChart chart;
  chart.id = "cost-curve";
  chart.label = "cost against gears";
  chart.unit = "px";
  chart.points = {{4, 2.5e6}, {1, 9e6}, {2, 5e6}, {8, 2.2e6}};
  chart.chosen = 4;
  const std::string svg = RenderCostCurveSvg(chart);
  CHECK(CountOf(svg, "<circle") == 4);
  CHECK(CountOf(svg, "class=\"curve-line\"") == 3);
  CHECK(CountOf(svg, "class=\"curve-point chosen\"") == 1);
  CHECK(svg.find("4 gears: 2,500,000 px") != std::string::npos);
  CHECK(svg.find("1 gear: 9,000,000 px") != std::string::npos);
  CHECK(svg.find("cost (px)") != std::string::npos);
  // Ascending by gear count: 1 is drawn before 2, 2 before 4.
  CHECK(svg.find("1 gear:") < svg.find("2 gears:"));
  CHECK(svg.find("2 gears:") < svg.find("4 gears:"));
}

TEST_CASE("the cost curve of no point is empty, of one point is a dot", "[report]") {
  CostCurveChart chart;
  CHECK(RenderCostCurveSvg(chart).empty());
  chart.points = {{3, 0}};
  const std::string svg = RenderCostCurveSvg(chart);
  CHECK(CountOf(svg, "<circle") == 1);
  CHECK(CountOf(svg, "class=\"curve-line\"") == 0);
}

}  // namespace
}  // namespace autoscale
