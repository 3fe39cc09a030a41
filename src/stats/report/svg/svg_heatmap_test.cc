#include "stats/report/svg/svg_heatmap.h"

#include <catch2/catch.hpp>

#include "support/html_search.h"

namespace autoscale {
namespace {

using test::CountOf;

TEST_CASE("Heat map draws one rectangle per gear and colours cells by count", "[report]") {
  HeatMapChart chart;
  chart.id = "hw";
  chart.noun = "images";
  chart.align = 32;
  chart.counts = {{{100, 200}, 1}, {{110, 210}, 3}, {{700, 1280}, 50}};
  chart.gears = {{128, 224, "small"}, {736, 1280, "large <&>"}};
  const std::string svg = RenderHeatMapSvg(chart);
  CHECK(CountOf(svg, "class=\"gear-rect\"") == 2);
  CHECK(CountOf(svg, "class=\"gear-corner\"") == 2);
  CHECK(CountOf(svg, "class=\"cell\"") == 2);  // (100,200) and (110,210) share a cell
  CHECK(svg.find("large &lt;&amp;&gt;") != std::string::npos);
  // The busiest cell gets the brightest colour.
  CHECK(svg.find(HeatColor(1.0)) != std::string::npos);
  CHECK(HeatColor(0) == "#440154");
  CHECK(HeatColor(1) == "#fde725");
  CHECK(HeatColor(-3) == HeatColor(0));
}

}  // namespace
}  // namespace autoscale
