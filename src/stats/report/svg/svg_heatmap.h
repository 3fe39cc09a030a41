// A heat map of (h, w) sizes as SVG: cells coloured by how many samples fall
// in them (log scale), with each (h, w) gear drawn as the rectangle
// (0, 0)-(w, h) it covers. Both axes use the same pixels per unit, so shapes
// keep their aspect, unless that would leave one side under half the other
// (the legend then says the scales differ). Each axis has its own cell size.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace autoscale {

// A gear rectangle, with the text shown when hovering its corner.
struct RectMark {
  int64_t h = 0;
  int64_t w = 0;
  std::string tooltip;
};

struct HeatMapChart {
  std::string id;     // the <svg> element's id
  std::string label;  // its accessible name
  std::string noun;   // what the counts count, for tooltips and the legend
  // Samples by (h, w).
  std::map<std::pair<int64_t, int64_t>, double> counts;
  std::vector<RectMark> gears;
  // Cell edges fall on multiples of a divisor of this (the gear interval),
  // or of it times a power of two.
  int64_t align = 32;
  int max_cells = 64;  // per axis
  // The plot area fits in this many pixels; the chart adds margins and the
  // colour legend.
  double max_plot_width = 640;
  double max_plot_height = 640;
};

// Cells as <rect class="cell">, one <rect class="gear-rect"> per gear with a
// numbered corner mark (the gear's 1-based position in `gears`), and a colour
// legend.
std::string RenderHeatMapSvg(const HeatMapChart& chart);

// The colour for `t` in [0, 1] on a perceptually ordered dark-to-bright
// scale, as "#rrggbb".
std::string HeatColor(double t);

}  // namespace autoscale
