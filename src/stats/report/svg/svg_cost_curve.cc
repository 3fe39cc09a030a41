#include "stats/report/svg/svg_cost_curve.h"

#include <algorithm>

#include "stats/report/html_text.h"

namespace autoscale {

std::string RenderCostCurveSvg(const CostCurveChart& chart) {
  if (chart.points.empty()) return "";
  std::vector<CostCurvePoint> points = chart.points;
  std::sort(points.begin(), points.end(),
            [](const CostCurvePoint& a, const CostCurvePoint& b) { return a.gears < b.gears; });
  const ChartFrame& f = chart.frame;
  double lo_cost = points[0].cost, hi_cost = points[0].cost;
  for (const auto& p : points) {
    lo_cost = std::min(lo_cost, p.cost);
    hi_cost = std::max(hi_cost, p.cost);
  }
  const double x0 = static_cast<double>(points.front().gears);
  const double x1 = std::max(x0 + 1, static_cast<double>(points.back().gears));
  const std::vector<double> y_ticks = NiceTicks(0, std::max(hi_cost, 1e-9), 5);
  const std::vector<double> x_ticks = NiceTicks(x0, x1, 8);
  const LinearScale x{x0, x1, f.PlotLeft(), f.PlotRight()};
  const LinearScale y{0, std::max(y_ticks.back(), hi_cost), f.PlotBottom(), f.PlotTop()};

  SvgWriter svg(chart.id, "chart cost-curve", f.width, f.height, chart.label);
  AxesSpec axes;
  axes.x = x;
  axes.y = y;
  axes.x_ticks = x_ticks;
  axes.y_ticks = y_ticks;
  axes.x_label = "gears";
  axes.y_label = "cost (" + chart.unit + ")";
  axes.x_format = TickLabel;
  axes.y_format = CompactTickLabel;
  DrawAxes(&svg, f, axes);
  svg.BeginGroup("curve");
  for (size_t i = 1; i < points.size(); ++i)
    svg.Line(x(static_cast<double>(points[i - 1].gears)), y(points[i - 1].cost),
             x(static_cast<double>(points[i].gears)), y(points[i].cost), "curve-line");
  for (const auto& p : points) {
    const std::string tip = std::to_string(p.gears) + (p.gears == 1 ? " gear: " : " gears: ") +
                            FormatCost(p.cost) + " " + chart.unit;
    svg.Circle(x(static_cast<double>(p.gears)), y(p.cost), p.gears == chart.chosen ? 5 : 3.5,
               p.gears == chart.chosen ? "curve-point chosen" : "curve-point", tip);
  }
  svg.EndGroup();
  return svg.Finish();
}

}  // namespace autoscale
