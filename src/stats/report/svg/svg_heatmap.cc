#include "stats/report/svg/svg_heatmap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "stats/report/html_text.h"
#include "stats/report/svg/svg_chart.h"

namespace autoscale {

std::string HeatColor(double t) {
  // Nine evenly spaced stops of the viridis colour map.
  static constexpr std::array<std::array<int, 3>, 9> kStops{{{68, 1, 84},
                                                             {71, 45, 123},
                                                             {59, 82, 139},
                                                             {44, 114, 142},
                                                             {33, 145, 140},
                                                             {40, 174, 128},
                                                             {94, 201, 98},
                                                             {173, 220, 48},
                                                             {253, 231, 37}}};
  if (!(t >= 0)) t = 0;
  if (t > 1) t = 1;
  const double pos = t * (kStops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(pos), kStops.size() - 2);
  const double frac = pos - static_cast<double>(i);
  char buf[8];
  int rgb[3];
  for (int c = 0; c < 3; ++c)
    rgb[c] = static_cast<int>(std::lround(kStops[i][c] + frac * (kStops[i + 1][c] - kStops[i][c])));
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  return buf;
}

namespace {

constexpr double kLegendWidth = 120;

std::string RangeText(int64_t lo, int64_t hi) {
  return hi - lo == 1 ? TickLabel(static_cast<double>(hi))
                      : TickLabel(static_cast<double>(lo + 1)) + "\u2013" +
                            TickLabel(static_cast<double>(hi));
}

}  // namespace

namespace {

// Where everything goes: sizes clamped to the chart, the cell sizes, the
// plot's extent and the axes.
struct HeatMapLayout {
  std::map<std::pair<int64_t, int64_t>, double> counts;  // by clamped (h, w)
  std::vector<RectMark> gears;                           // clamped
  int64_t cell_h = 1, cell_w = 1;
  double plot_w = 0, plot_h = 0;
  bool same_scale = true;
  ChartFrame frame;       // the whole chart, legend included
  ChartFrame axes_frame;  // the plot and its axes
  AxesSpec axes;
};

HeatMapLayout LayOutHeatMap(const HeatMapChart& chart) {
  HeatMapLayout l;
  for (const auto& [hw, n] : chart.counts)
    l.counts[{ClampToChart(hw.first), ClampToChart(hw.second)}] += n;
  l.gears = chart.gears;
  for (RectMark& g : l.gears) {
    g.h = ClampToChart(g.h);
    g.w = ClampToChart(g.w);
  }
  int64_t max_h = 1, max_w = 1;
  for (const auto& [hw, n] : l.counts) {
    max_h = std::max(max_h, hw.first);
    max_w = std::max(max_w, hw.second);
  }
  for (const RectMark& g : l.gears) {
    max_h = std::max(max_h, g.h);
    max_w = std::max(max_w, g.w);
  }
  // Each axis gets its own cell size: text boxes are far wider than tall.
  l.cell_h = ChooseBinWidth(max_h, chart.max_cells, chart.align);
  l.cell_w = ChooseBinWidth(max_w, chart.max_cells, chart.align);
  // Round the extents up to whole cells, plus a little room past the largest.
  const auto extent = [](int64_t v, int64_t cell) {
    return static_cast<double>(((v + cell - 1) / cell) * cell + cell / 2 + 1);
  };
  const double ext_h = extent(max_h, l.cell_h);
  const double ext_w = extent(max_w, l.cell_w);
  // One scale for both axes keeps shapes true, unless that leaves one side
  // too thin to read.
  const double scale = std::min(chart.max_plot_width / ext_w, chart.max_plot_height / ext_h);
  const double min_side = 0.5 * std::min(chart.max_plot_width, chart.max_plot_height);
  l.plot_w = std::max(ext_w * scale, min_side);
  l.plot_h = std::max(ext_h * scale, min_side);
  l.same_scale = l.plot_w == ext_w * scale && l.plot_h == ext_h * scale;

  ChartFrame& f = l.frame;
  f.left = 72;
  f.top = 20;
  f.bottom = 52;
  f.right = 24 + kLegendWidth;
  f.width = f.left + l.plot_w + f.right;
  f.height = f.top + l.plot_h + f.bottom;

  AxesSpec& axes = l.axes;
  axes.x = LinearScale{0, ext_w, f.PlotLeft(), f.PlotLeft() + l.plot_w};
  axes.y = LinearScale{0, ext_h, f.PlotBottom(), f.PlotBottom() - l.plot_h};
  axes.x_ticks = NiceTicks(0, ext_w, std::max(2, static_cast<int>(l.plot_w / 80)));
  axes.y_ticks = NiceTicks(0, ext_h, std::max(2, static_cast<int>(l.plot_h / 60)));
  axes.x_label = "width (model pixels)";
  axes.y_label = "height (model pixels)";
  l.axes_frame = f;
  l.axes_frame.right = f.width - (f.PlotLeft() + l.plot_w);
  return l;
}

// Samples per cell: (h bin, w bin) -> count; bins count from 1.
std::map<std::pair<int64_t, int64_t>, double> CountCells(const HeatMapLayout& l) {
  std::map<std::pair<int64_t, int64_t>, double> cells;
  const auto bin_of = [](int64_t v, int64_t cell) { return v > 0 ? (v + cell - 1) / cell : 0; };
  for (const auto& [hw, n] : l.counts)
    cells[{bin_of(hw.first, l.cell_h), bin_of(hw.second, l.cell_w)}] += n;
  return cells;
}

// A count's place on the colour scale: log scale up to the largest count.
double Shade(double n, double max_count) {
  return max_count <= 1 ? 1.0 : std::log1p(n) / std::log1p(max_count);
}

void DrawCells(const HeatMapLayout& l, const std::map<std::pair<int64_t, int64_t>, double>& cells,
               double max_count, const std::string& noun, SvgWriter* svg) {
  svg->BeginGroup("cells");
  for (const auto& [k, n] : cells) {
    if (n <= 0) continue;
    const int64_t h0 = (k.first - 1) * l.cell_h, w0 = (k.second - 1) * l.cell_w;
    const double x0 = l.axes.x(static_cast<double>(w0));
    const double x1 = l.axes.x(static_cast<double>(w0 + l.cell_w));
    const double y0 = l.axes.y(static_cast<double>(h0 + l.cell_h));
    const double y1 = l.axes.y(static_cast<double>(h0));
    svg->Rect(x0, y0, x1 - x0, y1 - y0, "cell",
              "h " + RangeText(h0, h0 + l.cell_h) + " \u00d7 w " + RangeText(w0, w0 + l.cell_w) +
                  ": " + CountLabel(n) + " " + noun,
              HeatColor(Shade(n, max_count)));
  }
  svg->EndGroup();
}

void DrawGears(const HeatMapLayout& l, SvgWriter* svg) {
  svg->BeginGroup("gears");
  const double x_origin = l.axes.x(0), y_origin = l.axes.y(0);
  for (const RectMark& g : l.gears) {
    const double x1 = l.axes.x(static_cast<double>(g.w));
    const double y1 = l.axes.y(static_cast<double>(g.h));
    svg->Rect(x_origin, y1, x1 - x_origin, y_origin - y1, "gear-rect");
  }
  // Corner marks numbered like the gear table; a number is skipped when it
  // would overlap one already placed.
  std::vector<std::pair<double, double>> placed;
  for (size_t i = 0; i < l.gears.size(); ++i) {
    const RectMark& g = l.gears[i];
    const double x = l.axes.x(static_cast<double>(g.w));
    const double y = l.axes.y(static_cast<double>(g.h));
    svg->Circle(x, y, 3, "gear-corner", g.tooltip);
    const bool crowded = std::any_of(placed.begin(), placed.end(), [&](const auto& p) {
      return std::fabs(p.first - x) < 18 && std::fabs(p.second - y) < 13;
    });
    if (!crowded) {
      svg->Text(x + 4, y - 4, std::to_string(i + 1), "gear-number");
      placed.push_back({x, y});
    }
  }
  svg->EndGroup();
}

// The counts the legend shows a swatch for: log-spaced from 1 to the largest.
std::vector<double> LegendLevels(double max_count) {
  std::vector<double> levels;
  if (max_count <= 0) return levels;
  const int steps = max_count <= 1 ? 1 : 6;
  for (int s = 0; s < steps; ++s) {
    const double v =
        steps == 1 ? max_count
                   : std::round(std::expm1(std::log1p(max_count) * (steps - 1 - s) / (steps - 1)));
    const double level = std::max(1.0, v);
    if (levels.empty() || levels.back() != level) levels.push_back(level);
  }
  return levels;
}

void DrawLegend(const HeatMapLayout& l, double max_count, const std::string& noun, SvgWriter* svg) {
  svg->BeginGroup("legend");
  const double lx = l.frame.width - kLegendWidth;
  double ly = l.frame.PlotTop() + 4;
  svg->Text(lx, ly + 8, noun + " per cell", "legend-title");
  ly += 20;
  for (double level : LegendLevels(max_count)) {
    svg->Rect(lx, ly, 18, 14, "swatch", "", HeatColor(Shade(level, max_count)));
    svg->Text(lx + 24, ly + 11, CountLabel(level), "legend-text");
    ly += 18;
  }
  ly += 10;
  svg->Rect(lx, ly, 18, 14, "gear-rect legend-gear");
  svg->Text(lx + 24, ly + 11, "gear (h \u00d7 w)", "legend-text");
  ly += 34;
  const std::string cell = l.cell_h == l.cell_w
                               ? TickLabel(static_cast<double>(l.cell_h))
                               : TickLabel(static_cast<double>(l.cell_h)) + " \u00d7 " +
                                     TickLabel(static_cast<double>(l.cell_w));
  svg->Text(lx, ly, "cell: " + cell + " px", "legend-text");
  if (!l.same_scale) svg->Text(lx, ly + 16, "x and y scales differ", "legend-text");
  svg->EndGroup();
}

}  // namespace

std::string RenderHeatMapSvg(const HeatMapChart& chart) {
  const HeatMapLayout layout = LayOutHeatMap(chart);
  SvgWriter svg(chart.id, "chart heatmap", layout.frame.width, layout.frame.height, chart.label);
  DrawAxes(&svg, layout.axes_frame, layout.axes);
  const auto cells = CountCells(layout);
  double max_count = 0;
  for (const auto& [k, n] : cells) max_count = std::max(max_count, n);
  DrawCells(layout, cells, max_count, chart.noun, &svg);
  DrawGears(layout, &svg);
  DrawLegend(layout, max_count, chart.noun, &svg);
  return svg.Finish();
}

}  // namespace autoscale
