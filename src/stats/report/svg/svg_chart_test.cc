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

HistogramChart WidthChart() {
  HistogramChart chart;
  chart.id = "w";
  chart.noun = "boxes";
  chart.align = 32;
  for (int64_t v = 20; v <= 300; v += 7) chart.counts[v] = static_cast<double>(v % 13 + 1);
  chart.gears = {{64, "gear 64"}, {128, "gear 128"}, {320, "gear 320"}};
  return chart;
}

TEST_CASE("Histogram draws one gear line per gear and one bar per non-empty bin", "[report]") {
  HistogramChart chart = WidthChart();
  const std::string svg = RenderHistogramSvg(chart);
  CHECK(CountOf(svg, "class=\"gear\"") == 3);
  CHECK(CountOf(svg, "data-gear=\"128\"") == 1);
  const HistogramLayout layout = LayOutHistogram(chart);
  CHECK(layout.cut == 0);
  CHECK(layout.start == 0);  // data start near the origin: the axis shows it
  size_t non_empty = 0;
  double total = 0;
  for (const Bin& b : layout.bins) {
    non_empty += b.count > 0;
    total += b.count;
  }
  double expected = 0;
  for (const auto& [v, n] : chart.counts) expected += n;
  CHECK(total == expected);
  CHECK(CountOf(svg, "class=\"bar\"") == non_empty);
  CHECK(svg.find("tail-band") == std::string::npos);
}

TEST_CASE("Histogram breaks the axis for a long tail", "[report]") {
  HistogramChart chart;
  chart.id = "w";
  chart.align = 32;
  for (int64_t v = 10; v <= 300; ++v) chart.counts[v] = 100;
  chart.counts[2700] = 1;
  chart.gears = {{96, ""}, {192, ""}, {320, ""}, {2720, ""}};
  const HistogramLayout layout = LayOutHistogram(chart);
  REQUIRE(layout.cut > 300);
  CHECK(layout.cut < 2700);
  CHECK(layout.cut % layout.width == 0);
  CHECK(layout.cut % layout.tail_width == 0);
  CHECK(layout.tail_width > layout.width);
  CHECK(layout.width <= 8);  // the bulk keeps fine bins
  double tail = 0;
  for (const Bin& b : layout.bins)
    if (b.lo >= layout.cut) tail += b.count;
  CHECK(tail == 1);
  const std::string svg = RenderHistogramSvg(chart);
  CHECK(svg.find("tail-band") != std::string::npos);
  CHECK(CountOf(svg, "class=\"gear\"") == 4);

  // A short range far from the origin starts the axis near the data.
  HistogramChart narrow;
  narrow.align = 32;
  for (int64_t v = 300; v <= 400; ++v) narrow.counts[v] = 1;
  narrow.gears = {{320, ""}, {416, ""}};
  CHECK(LayOutHistogram(narrow).start >= 200);
  CHECK(LayOutHistogram(narrow).cut == 0);
}

TEST_CASE("Histogram of nothing still renders", "[report]") {
  HistogramChart chart;
  chart.id = "empty";
  const std::string svg = RenderHistogramSvg(chart);
  CHECK(svg.find("<svg id=\"empty\"") == 0);
  CHECK(CountOf(svg, "class=\"bar\"") == 0);
}

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

namespace autoscale {
namespace {

TEST_CASE("Histogram does not break a short axis", "[report]") {
  HistogramChart chart;
  chart.align = 32;
  chart.counts = {{73, 1}};
  chart.gears = {{64, ""}, {96, ""}};
  const HistogramLayout layout = LayOutHistogram(chart);
  CHECK(layout.cut == 0);
  CHECK(layout.width == 1);
}

}  // namespace
}  // namespace autoscale
