#include "stats/report/svg/svg_chart.h"

#include <catch2/catch.hpp>

#include <limits>

#include "stats/report/svg/svg_heatmap.h"
#include "support/html_search.h"
#include "stats/report/svg/svg_histogram.h"

namespace autoscale {
namespace {

using test::CountOf;

TEST_CASE("NiceTicks steps 1, 2 or 5 times a power of ten", "[report]") {
  CHECK(NiceTicks(0, 1000, 5) == std::vector<double>{0, 200, 400, 600, 800, 1000});
  CHECK(NiceTicks(0, 2720, 10) == std::vector<double>{0, 500, 1000, 1500, 2000, 2500});
  CHECK(NiceTicks(13, 47, 4) == std::vector<double>{20, 30, 40});
  // Integer data: never a step under 1.
  CHECK(NiceTicks(0, 3, 10) == std::vector<double>{0, 1, 2, 3});
  CHECK(NiceTicks(5, 5, 4) == std::vector<double>{5});
  CHECK(NiceTicks(5, 1, 4).empty());
}

TEST_CASE("SvgNumber and TickLabel", "[report]") {
  CHECK(SvgNumber(12) == "12");
  CHECK(SvgNumber(12.5) == "12.5");
  CHECK(SvgNumber(1.0 / 3) == "0.33");
  CHECK(SvgNumber(-0.001) == "0");
  CHECK(TickLabel(2720) == "2720");
  CHECK(TickLabel(12000) == "12,000");
  CHECK(TickLabel(-20000) == "-20,000");
  CHECK(TickLabel(2.5) == "2.5");
  CHECK(CompactTickLabel(2720) == "2720");
  CHECK(CompactTickLabel(200000000) == "200M");
  CHECK(CompactTickLabel(1250000) == "1.25M");
  CHECK(CompactTickLabel(-30000) == "-30k");
  CHECK(CompactTickLabel(2.5e12) == "2.5T");
  CHECK(CountLabel(1234) == "1,234");
  CHECK(CountLabel(2.25) == "2.2");
}

TEST_CASE("LinearScale maps the domain onto the range", "[report]") {
  LinearScale y{0, 100, 300, 50};  // grows upwards
  CHECK(y(0) == Approx(300));
  CHECK(y(100) == Approx(50));
  CHECK(y(50) == Approx(175));
  LinearScale flat{5, 5, 10, 20};
  CHECK(flat(7) == Approx(10));
}

TEST_CASE("ChooseBinWidth aligns bins with the gear interval", "[report]") {
  CHECK(ChooseBinWidth(2000, 80, 32) == 32);
  CHECK(ChooseBinWidth(8192, 80, 32) == 128);
  CHECK(ChooseBinWidth(100, 80, 32) == 2);
  CHECK(ChooseBinWidth(10, 80, 32) == 1);
  CHECK(ChooseBinWidth(600, 80, 30) == 10);  // divisors of 30: 1 2 3 5 6 10 ...
  CHECK(ChooseBinWidth(153, 110, 1) == 2);
  CHECK(ChooseBinWidth(0, 80, 32) == 1);
}

TEST_CASE("BinValues puts v in the bin from lo (exclusive) to hi (inclusive), as a gear g holds v <= g", "[report]") {
  const std::map<int64_t, double> counts{{1, 1}, {32, 2}, {33, 4}, {130, 8}};
  const auto bins = BinValues(counts, 32);
  REQUIRE(bins.size() == 5);
  CHECK(bins[0].lo == 0);
  CHECK(bins[0].hi == 32);
  CHECK(bins[0].count == 3);  // 1 and 32
  CHECK(bins[1].count == 4);  // 33
  CHECK(bins[2].count == 0);  // empty bins are kept
  CHECK(bins[3].count == 0);
  CHECK(bins[4].lo == 128);
  CHECK(bins[4].count == 8);
  // Zero falls in (-width, 0].
  const auto zero = BinValues({{0, 5}, {3, 1}}, 2);
  REQUIRE(zero.size() == 3);
  CHECK(zero[0].lo == -2);
  CHECK(zero[0].count == 5);
  CHECK(BinValues({}, 4).empty());
}

TEST_CASE("SvgWriter escapes every string it is given", "[report]") {
  SvgWriter svg("id\"x", "chart", 100, 50, "<label>");
  svg.Rect(1, 2, 3, 4, "bar", "tip <b>&", "#123456");
  svg.Text(5, 6, "</svg><script>", "tick", "middle", -90);
  svg.Circle(1, 1, 2, "dot", "'quoted'");
  const std::string out = svg.Finish();
  CHECK(out.find("<script>") == std::string::npos);
  CHECK(out.find("&lt;/svg&gt;&lt;script&gt;") != std::string::npos);
  CHECK(out.find("id=\"id&quot;x\"") != std::string::npos);
  CHECK(out.find("<title>tip &lt;b&gt;&amp;</title>") != std::string::npos);
  CHECK(out.find("transform=\"rotate(-90 5 6)\"") != std::string::npos);
  CHECK(out.rfind("</svg>\n") == out.size() - 7);
}

}  // namespace
}  // namespace autoscale

namespace autoscale {
namespace {

TEST_CASE("Charts of extreme values stay finite", "[report]") {
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  HistogramChart chart;
  chart.id = "x";
  chart.align = big;
  chart.counts = {{small, 1}, {0, 2}, {5, 3}, {big, 1}};
  chart.gears = {{small, ""}, {64, ""}, {big, ""}};
  const std::string svg = RenderHistogramSvg(chart);
  CHECK(CountOf(svg, "class=\"gear\"") == 3);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  CHECK(LayOutHistogram(chart).bins.size() <= 200);

  HeatMapChart map;
  map.counts = {{{big, 1}, 2}, {{-5, big}, 1}};
  map.gears = {{big, big, ""}, {32, 64, ""}};
  map.align = 0;
  const std::string heat = RenderHeatMapSvg(map);
  CHECK(CountOf(heat, "class=\"gear-rect\"") == 2);
  CHECK(heat.find("nan") == std::string::npos);
  CHECK(heat.find("inf") == std::string::npos);
  CHECK(ChooseBinWidth(big, 10, big) > 0);
}

}  // namespace
}  // namespace autoscale
