// A histogram of sample values as SVG, with each gear drawn as a labelled
// vertical line over it. Long-tailed data (text line widths) get a broken x
// axis: the bulk in fine bins, the tail in a narrower panel of coarser bins,
// so neither squeezes the other out of view.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stats/report/svg/svg_chart.h"

namespace autoscale {

// A gear drawn on a chart, with the text shown when hovering it.
struct GearMark {
  int64_t value = 0;
  std::string tooltip;
};

struct HistogramChart {
  std::string id;     // the <svg> element's id
  std::string label;  // its accessible name
  std::string x_label;
  std::string y_label;
  std::string noun;  // what the counts count, for tooltips: "samples", "images"
  // How many samples have each value.
  std::map<int64_t, double> counts;
  // Bin edges fall on multiples of a divisor of this, or of it times a power
  // of two (the gear interval; 1 for box counts).
  int64_t align = 1;
  std::vector<GearMark> gears;  // ascending
  ChartFrame frame;
};

// Where the x axis breaks: values up to `cut` in bins of `width`, the rest
// in bins of `tail_width`. cut == 0: no break.
struct HistogramLayout {
  int64_t start = 0;  // the axis starts here
  int64_t cut = 0;
  int64_t end = 0;  // the largest value or gear
  int64_t width = 1;
  int64_t tail_width = 1;
  // The share of the plot width the tail panel gets: more when more gears
  // lie in the tail, so their lines stay apart.
  double tail_share = 0;
  std::vector<Bin> bins;  // the bulk's bins, then the tail's
};

// The axis range and bins for `chart`, in at most about frame.width / 9
// bins. The axis starts at 0 unless the data start far from it. It breaks
// when the largest value or gear lies over three times as far from the start
// as the 99th percentile does and the bulk then gets bins at least twice as
// fine.
HistogramLayout LayOutHistogram(const HistogramChart& chart);

// Bars for the bins, one <line class="gear"> per gear, labels above the plot
// for as many gears as fit without overlapping.
std::string RenderHistogramSvg(const HistogramChart& chart);

}  // namespace autoscale
