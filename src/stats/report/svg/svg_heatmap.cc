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

std::string RenderHeatMapSvg(const HeatMapChart& chart) {
  std::map<std::pair<int64_t, int64_t>, double> counts;
  for (const auto& [hw, n] : chart.counts) counts[{ClampToChart(hw.first), ClampToChart(hw.second)}] += n;
  std::vector<RectMark> gears = chart.gears;
  for (RectMark& g : gears) {
    g.h = ClampToChart(g.h);
    g.w = ClampToChart(g.w);
  }
  int64_t max_h = 1, max_w = 1;
  for (const auto& [hw, n] : counts) {
    max_h = std::max(max_h, hw.first);
    max_w = std::max(max_w, hw.second);
  }
  for (const RectMark& g : gears) {
    max_h = std::max(max_h, g.h);
    max_w = std::max(max_w, g.w);
  }
  // Each axis gets its own cell size: text boxes are far wider than tall.
  const int64_t cell_h = ChooseBinWidth(max_h, chart.max_cells, chart.align);
  const int64_t cell_w = ChooseBinWidth(max_w, chart.max_cells, chart.align);
  // Round the extents up to whole cells, plus a little room past the largest.
  const auto extent = [](int64_t v, int64_t cell) {
    return static_cast<double>(((v + cell - 1) / cell) * cell + cell / 2 + 1);
  };
  const double ext_h = extent(max_h, cell_h);
  const double ext_w = extent(max_w, cell_w);
  // One scale for both axes keeps shapes true, unless that leaves one side
  // too thin to read.
  const double scale = std::min(chart.max_plot_width / ext_w, chart.max_plot_height / ext_h);
  const double min_side = 0.5 * std::min(chart.max_plot_width, chart.max_plot_height);
  const double plot_w = std::max(ext_w * scale, min_side);
  const double plot_h = std::max(ext_h * scale, min_side);
  const bool same_scale = plot_w == ext_w * scale && plot_h == ext_h * scale;

  ChartFrame f;
  f.left = 72;
  f.top = 20;
  f.bottom = 52;
  f.right = 24 + kLegendWidth;
  f.width = f.left + plot_w + f.right;
  f.height = f.top + plot_h + f.bottom;

  AxesSpec axes;
  axes.x = LinearScale{0, ext_w, f.PlotLeft(), f.PlotLeft() + plot_w};
  axes.y = LinearScale{0, ext_h, f.PlotBottom(), f.PlotBottom() - plot_h};
  axes.x_ticks = NiceTicks(0, ext_w, std::max(2, static_cast<int>(plot_w / 80)));
  axes.y_ticks = NiceTicks(0, ext_h, std::max(2, static_cast<int>(plot_h / 60)));
  axes.x_label = "width (model pixels)";
  axes.y_label = "height (model pixels)";
  ChartFrame axes_frame = f;
  axes_frame.right = f.width - (f.PlotLeft() + plot_w);

  SvgWriter svg(chart.id, "chart heatmap", f.width, f.height, chart.label);
  DrawAxes(&svg, axes_frame, axes);

  // Cells: (h bin, w bin) -> count.
  std::map<std::pair<int64_t, int64_t>, double> cells;
  const auto bin_of = [](int64_t v, int64_t cell) { return v > 0 ? (v + cell - 1) / cell : 0; };
  for (const auto& [hw, n] : counts) cells[{bin_of(hw.first, cell_h), bin_of(hw.second, cell_w)}] += n;
  double max_count = 0;
  for (const auto& [k, n] : cells) max_count = std::max(max_count, n);
  const auto shade = [max_count](double n) {
    return max_count <= 1 ? 1.0 : std::log1p(n) / std::log1p(max_count);
  };
  svg.BeginGroup("cells");
  for (const auto& [k, n] : cells) {
    if (n <= 0) continue;
    const int64_t h0 = (k.first - 1) * cell_h, w0 = (k.second - 1) * cell_w;
    const double x0 = axes.x(static_cast<double>(w0));
    const double x1 = axes.x(static_cast<double>(w0 + cell_w));
    const double y0 = axes.y(static_cast<double>(h0 + cell_h));
    const double y1 = axes.y(static_cast<double>(h0));
    svg.Rect(x0, y0, x1 - x0, y1 - y0, "cell",
             "h " + RangeText(h0, h0 + cell_h) + " \u00d7 w " + RangeText(w0, w0 + cell_w) + ": " +
                 CountLabel(n) + " " + chart.noun,
             HeatColor(shade(n)));
  }
  svg.EndGroup();

  svg.BeginGroup("gears");
  const double x_origin = axes.x(0), y_origin = axes.y(0);
  for (const RectMark& g : gears) {
    const double x1 = axes.x(static_cast<double>(g.w));
    const double y1 = axes.y(static_cast<double>(g.h));
    svg.Rect(x_origin, y1, x1 - x_origin, y_origin - y1, "gear-rect");
  }
  // Corner marks numbered like the gear table; a number is skipped when it
  // would overlap one already placed.
  std::vector<std::pair<double, double>> placed;
  for (size_t i = 0; i < gears.size(); ++i) {
    const RectMark& g = gears[i];
    const double x = axes.x(static_cast<double>(g.w));
    const double y = axes.y(static_cast<double>(g.h));
    svg.Circle(x, y, 3, "gear-corner", g.tooltip);
    const bool crowded = std::any_of(placed.begin(), placed.end(), [&](const auto& p) {
      return std::fabs(p.first - x) < 18 && std::fabs(p.second - y) < 13;
    });
    if (!crowded) {
      svg.Text(x + 4, y - 4, std::to_string(i + 1), "gear-number");
      placed.push_back({x, y});
    }
  }
  svg.EndGroup();

  // Colour legend: swatches at log-spaced counts from 1 to the largest.
  svg.BeginGroup("legend");
  const double lx = f.width - kLegendWidth;
  double ly = f.PlotTop() + 4;
  svg.Text(lx, ly + 8, chart.noun + " per cell", "legend-title");
  ly += 20;
  std::vector<double> levels;
  if (max_count > 0) {
    const int steps = max_count <= 1 ? 1 : 6;
    for (int s = 0; s < steps; ++s) {
      const double v = steps == 1 ? max_count
                                  : std::round(std::expm1(std::log1p(max_count) * (steps - 1 - s) /
                                                          (steps - 1)));
      const double level = std::max(1.0, v);
      if (levels.empty() || levels.back() != level) levels.push_back(level);
    }
  }
  for (double level : levels) {
    svg.Rect(lx, ly, 18, 14, "swatch", "", HeatColor(shade(level)));
    svg.Text(lx + 24, ly + 11, CountLabel(level), "legend-text");
    ly += 18;
  }
  ly += 10;
  svg.Rect(lx, ly, 18, 14, "gear-rect legend-gear");
  svg.Text(lx + 24, ly + 11, "gear (h \u00d7 w)", "legend-text");
  ly += 34;
  svg.Text(lx, ly,
           "cell: " + (cell_h == cell_w ? TickLabel(static_cast<double>(cell_h))
                                        : TickLabel(static_cast<double>(cell_h)) + " \u00d7 " +
                                              TickLabel(static_cast<double>(cell_w))) +
               " px",
           "legend-text");
  if (!same_scale) svg.Text(lx, ly + 16, "x and y scales differ", "legend-text");
  svg.EndGroup();
  return svg.Finish();
}

}  // namespace autoscale
