#include "stats/report/svg/svg_histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stats/report/html_text.h"

namespace autoscale {

namespace {

// Text width estimate for label placement (11 px sans-serif digits).
double LabelWidth(const std::string& text) { return 6.6 * static_cast<double>(text.size()); }

std::string BinText(const Bin& bin, const std::string& noun) {
  const std::string range = bin.hi - bin.lo == 1
                                ? TickLabel(static_cast<double>(bin.hi))
                                : TickLabel(static_cast<double>(bin.lo + 1)) + "\u2013" +
                                      TickLabel(static_cast<double>(bin.hi));
  return range + ": " + CountLabel(bin.count) + " " + noun;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

constexpr double kGap = 12;  // pixels between the bulk and the tail panel

// Value -> pixel over the bulk and, when the axis breaks, the tail panel.
struct XScale {
  LinearScale bulk, tail;
  double cut = 0;
  bool broken = false;
  double operator()(double v) const { return broken && v > cut ? tail(v) : bulk(v); }
};

}  // namespace

HistogramLayout LayOutHistogram(const HistogramChart& chart) {
  HistogramLayout layout;
  bool any = false;
  int64_t vmin = 0, vmax = 0;
  const auto see = [&](int64_t v) {
    vmin = any ? std::min(vmin, v) : v;
    vmax = any ? std::max(vmax, v) : v;
    any = true;
  };
  double total = 0;
  std::map<int64_t, double> counts;
  for (const auto& [v, n] : chart.counts) counts[ClampToChart(v)] += n;
  for (const auto& [v, n] : counts) {
    see(v);
    total += n;
  }
  for (const GearMark& g : chart.gears) see(ClampToChart(g.value));
  if (!any) {
    layout.end = 1;
    return layout;
  }
  // The 99th percentile of the samples (the largest value or gear without
  // samples).
  int64_t q99 = vmax;
  double seen = 0;
  for (const auto& [v, n] : counts) {
    seen += n;
    if (seen >= 0.99 * total) {
      q99 = v;
      break;
    }
  }
  // Sizes are read against the origin, unless the data sit far from it.
  const int64_t start0 = vmin <= 0 ? vmin - 1 : (4 * vmin < vmax ? 0 : vmin - 1);
  const int max_bins = static_cast<int>(std::max(20.0, chart.frame.width / 9));
  const int64_t align = std::max<int64_t>(1, chart.align);

  int64_t width = ChooseBinWidth(vmax - start0, max_bins, align);
  int64_t cut = 0, tail_width = width;
  if (q99 > start0 && vmax - start0 > 3 * (q99 - start0)) {
    const int64_t cut0 = q99 + std::max<int64_t>(1, (q99 - start0) * 15 / 100);
    const double tail_gears = static_cast<double>(
        std::count_if(chart.gears.begin(), chart.gears.end(),
                      [&](const GearMark& g) { return ClampToChart(g.value) > cut0; }));
    const double share =
        chart.gears.empty()
            ? 0.2
            : std::clamp(1.2 * tail_gears / static_cast<double>(chart.gears.size()), 0.2, 0.45);
    const int64_t w = ChooseBinWidth(cut0 - start0, static_cast<int>(max_bins * (1 - share)), align);
    const int64_t tw = ChooseBinWidth(vmax - cut0, std::max(6, static_cast<int>(max_bins * share)), align);
    const int64_t unit = std::lcm(w, tw);
    const int64_t c = CeilDiv(cut0, unit) * unit;
    // Break only where it buys the bulk finer bins than one axis would.
    if (c < vmax && width >= 2 * w) {
      width = w;
      tail_width = tw;
      cut = c;
      layout.tail_share = share;
    }
  }
  layout.start = FloorDiv(start0, width) * width;
  layout.cut = cut;
  layout.end = vmax;
  layout.width = width;
  layout.tail_width = tail_width;
  std::map<int64_t, double> bulk, tail;
  for (const auto& [v, n] : counts) (cut != 0 && v > cut ? tail : bulk)[v] = n;
  layout.bins = BinValues(bulk, width);
  for (const Bin& b : BinValues(tail, tail_width)) layout.bins.push_back(b);
  return layout;
}

namespace {

// The x axis: one scale, or the bulk and the tail panel when the axis breaks.
// `last` is the largest value drawn; unit bins are centred on their value.
XScale HistogramXScale(const HistogramLayout& layout, const ChartFrame& f, int64_t last,
                       double shift) {
  XScale x;
  const double plot = f.PlotRight() - f.PlotLeft();
  const double start = static_cast<double>(layout.start);
  const double end_value = static_cast<double>(last) + shift;
  if (layout.cut != 0) {
    const double cut = static_cast<double>(layout.cut) + shift;
    const double end = end_value + 0.02 * (end_value - cut);
    const double split = f.PlotLeft() + (1 - layout.tail_share) * plot;
    x.broken = true;
    x.cut = cut;
    x.bulk = {start, cut, f.PlotLeft(), split - kGap / 2};
    x.tail = {cut, end, split + kGap / 2, f.PlotRight()};
  } else {
    const double end = end_value + 0.02 * (end_value - start);
    x.bulk = {start, std::max(end, start + 1), f.PlotLeft(), f.PlotRight()};
  }
  return x;
}

AxesSpec HistogramAxes(const HistogramChart& chart, const HistogramLayout& layout, const XScale& x,
                       double max_count) {
  const ChartFrame& f = chart.frame;
  const double plot = f.PlotRight() - f.PlotLeft();
  const double start = static_cast<double>(layout.start);
  AxesSpec axes;
  axes.x = x;
  if (x.broken) {
    axes.x_ticks =
        NiceTicks(start, x.cut, std::max(2, static_cast<int>((1 - layout.tail_share) * plot / 90)));
    const int tail_ticks = std::max(2, static_cast<int>(layout.tail_share * plot / 90));
    for (double t : NiceTicks(x.cut, x.tail.d1, tail_ticks))
      if (t > x.cut) axes.x_ticks.push_back(t);
  } else {
    axes.x_ticks = NiceTicks(start, x.bulk.d1, std::max(2, static_cast<int>(plot / 90)));
  }
  axes.y_ticks = NiceTicks(0, std::max(max_count, 1.0), 5);
  const double y_top = std::max(std::max(max_count, 1.0), axes.y_ticks.back());
  axes.y = LinearScale{0, y_top, f.PlotBottom(), f.PlotTop()};
  axes.x_label = chart.x_label;
  axes.y_label = chart.y_label;
  return axes;
}

// A shaded panel says the tail is drawn at another scale.
void DrawTailBand(const ChartFrame& f, const XScale& x, int64_t tail_width, SvgWriter* svg) {
  const double x0 = x.tail.r0, x1 = x.tail.r1;
  svg->Rect(x0, f.PlotTop(), x1 - x0, f.PlotBottom() - f.PlotTop(), "tail-band");
  svg->Text(x1, f.height - 10,
            "tail (shaded): bins of " + TickLabel(static_cast<double>(tail_width)), "tail-label",
            "end");
}

// The break mark on the x axis between the bulk and the tail.
void DrawAxisBreak(const ChartFrame& f, const XScale& x, SvgWriter* svg) {
  const double mid = x.bulk.r1 + kGap / 2;
  const double y = f.PlotBottom();
  svg->Rect(mid - kGap / 2 + 1, y - 1, kGap - 2, 3, "axis-break-gap");
  svg->Line(mid - 5, y + 5, mid - 1, y - 5, "axis-break");
  svg->Line(mid + 1, y + 5, mid + 5, y - 5, "axis-break");
}

void DrawBars(const HistogramChart& chart, const HistogramLayout& layout, const AxesSpec& axes,
              const XScale& x, double shift, SvgWriter* svg) {
  const ChartFrame& f = chart.frame;
  svg->BeginGroup("bars");
  for (const Bin& b : layout.bins) {
    if (b.count <= 0) continue;
    const double x0 = x(static_cast<double>(b.lo) + shift + 1e-9);
    const double x1 = x(static_cast<double>(b.hi) + shift);
    // A hairline gap between bars, and a visible minimum height for bins
    // whose count is tiny next to the largest one.
    const double gap = x1 - x0 > 3 ? 0.5 : 0;
    const double height = std::max(f.PlotBottom() - axes.y(b.count), 1.0);
    svg->Rect(x0 + gap, f.PlotBottom() - height, x1 - x0 - 2 * gap, height, "bar",
              BinText(b, chart.noun));
  }
  svg->EndGroup();
}

// A line per gear; a label is skipped when it would overlap the previous one.
void DrawGearLines(const HistogramChart& chart, const XScale& x, double shift, SvgWriter* svg) {
  const ChartFrame& f = chart.frame;
  svg->BeginGroup("gears");
  double last_label_right = -1e9;
  for (const GearMark& g : chart.gears) {
    const double gx = x(static_cast<double>(ClampToChart(g.value)) + shift);
    svg->Line(gx, f.PlotTop() - 4, gx, f.PlotBottom(), "gear", g.tooltip,
              "data-gear=\"" + std::to_string(g.value) + "\"");
    const std::string text = TickLabel(static_cast<double>(g.value));
    const double half = LabelWidth(text) / 2;
    if (gx - half > last_label_right + 4) {
      svg->Text(gx, f.PlotTop() - 8, text, "gear-label", "middle");
      last_label_right = gx + half;
    }
  }
  svg->EndGroup();
}

}  // namespace

std::string RenderHistogramSvg(const HistogramChart& chart) {
  const ChartFrame& f = chart.frame;
  const HistogramLayout layout = LayOutHistogram(chart);
  double max_count = 0;
  int64_t last = layout.end;
  for (const Bin& b : layout.bins) {
    max_count = std::max(max_count, b.count);
    last = std::max(last, b.hi);
  }
  // Unit bins hold one value each: centre the bar on it (bar n spans n +- 0.5)
  // and draw a gear between its own bar and the next.
  const double shift = layout.width == 1 ? 0.5 : 0;
  const XScale x = HistogramXScale(layout, f, last, shift);
  const AxesSpec axes = HistogramAxes(chart, layout, x, max_count);

  SvgWriter svg(chart.id, "chart histogram", f.width, f.height, chart.label);
  if (x.broken) DrawTailBand(f, x, layout.tail_width, &svg);
  DrawAxes(&svg, f, axes);
  if (x.broken) DrawAxisBreak(f, x, &svg);
  DrawBars(chart, layout, axes, x, shift, &svg);
  DrawGearLines(chart, x, shift, &svg);
  return svg.Finish();
}

}  // namespace autoscale
