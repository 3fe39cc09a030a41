#include "stats/report/svg/svg_histogram.h"

#include <catch2/catch.hpp>

#include "support/html_search.h"

namespace autoscale {
namespace {

using test::CountOf;

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
