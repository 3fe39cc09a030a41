// A line chart of cost against the number of gears: what each added gear
// saves, so a reader sees where more gears stop paying.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stats/report/svg/svg_chart.h"

namespace autoscale {

struct CostCurvePoint {
  int64_t gears = 0;  // number of gears
  double cost = 0;    // the total cost with that many
};

struct CostCurveChart {
  std::string id;
  std::string label;                   // accessible name
  std::string unit;                    // "px" or "ms"
  std::vector<CostCurvePoint> points;  // any order; drawn ascending by gears
  int64_t chosen = 0;                  // the gear count to mark (0: none)
  ChartFrame frame;
};

// One <svg>: the points joined by a line, each a circle with a tooltip
// "N gears: cost unit"; the chosen count's point has class "chosen".
// "" when there is no point.
std::string RenderCostCurveSvg(const CostCurveChart& chart);

}  // namespace autoscale
