// The pieces charts of the HTML report are drawn with: scales, "nice" axis
// ticks, value binning, and a writer of SVG elements styled by the report's
// CSS classes. Coordinates are written with at most two decimals, so the
// output is deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace autoscale {

// Maps the data interval [d0, d1] linearly onto the pixel interval [r0, r1]
// (r1 < r0 for a y axis that grows upwards).
struct LinearScale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const;
};

// Tick values 1, 2 or 5 times a power of ten apart (at least 1: the data are
// integers) covering [lo, hi], about `target` of them, ascending.
std::vector<double> NiceTicks(double lo, double hi, int target);

// A coordinate for SVG: at most two decimals, trailing zeros dropped.
std::string SvgNumber(double v);

// The size of a chart and the margins around its plot area, in pixels.
struct ChartFrame {
  double width = 960;
  double height = 320;
  double left = 72;    // room for the y tick labels and axis title
  double right = 24;
  double top = 40;     // room for gear labels above the plot
  double bottom = 52;  // room for the x tick labels and axis title
  double PlotLeft() const { return left; }
  double PlotRight() const { return width - right; }
  double PlotTop() const { return top; }
  double PlotBottom() const { return height - bottom; }
};

// Builds one <svg> element. Every string given is escaped.
class SvgWriter {
 public:
  // `id` is the element's id, `label` its accessible name.
  SvgWriter(const std::string& id, const std::string& css_class, double width, double height,
            const std::string& label);
  // `tooltip`, when not empty, becomes a <title> child (shown on hover).
  void Rect(double x, double y, double w, double h, const std::string& css_class,
            const std::string& tooltip = "", const std::string& fill = "");
  void Line(double x1, double y1, double x2, double y2, const std::string& css_class,
            const std::string& tooltip = "", const std::string& extra_attributes = "");
  void Circle(double cx, double cy, double r, const std::string& css_class,
              const std::string& tooltip = "");
  // anchor: "start", "middle" or "end"; `rotate` degrees about (x, y).
  void Text(double x, double y, const std::string& text, const std::string& css_class,
            const std::string& anchor = "start", double rotate = 0);
  // Opens/closes a <g> group.
  void BeginGroup(const std::string& css_class);
  void EndGroup();
  // The finished element.
  std::string Finish();

 private:
  std::string out_;
};

// Draws the plot's frame, grid lines, tick labels and axis titles.
struct AxesSpec {
  // Data value -> pixel (a LinearScale, or a piecewise one).
  std::function<double(double)> x, y;
  std::vector<double> x_ticks, y_ticks;
  std::string x_label, y_label;
  std::function<std::string(double)> x_format, y_format;
};
void DrawAxes(SvgWriter* svg, const ChartFrame& frame, const AxesSpec& axes);

// A count for a tooltip or label: an integer with thousands separators, or
// one decimal when it is not whole (shares of split images).
std::string CountLabel(double count);

// A tick label: integers bare up to 9999 ("2720"), with thousands separators
// from there ("12,000"); other values with up to two decimals.
std::string TickLabel(double v);
// A tick label for large values: TickLabel below 10,000, else at most two
// decimals and k, M, G or T (200000000 -> "200M", 1250000 -> "1.25M").
std::string CompactTickLabel(double v);

// Bins of integer values: bin i holds the values v with lo < v <= hi, the
// same way a gear g holds every sample v <= g.
struct Bin {
  int64_t lo = 0;
  int64_t hi = 0;
  double count = 0;
};

// Charts draw values in [-kMaxChartValue, kMaxChartValue] (far past any image
// size) so their arithmetic cannot overflow; ClampToChart pins a value that
// is out of it to the nearest end. Alignments above kMaxAlign are taken as
// kMaxAlign.
constexpr int64_t kMaxChartValue = int64_t{1} << 40;
constexpr int64_t kMaxAlign = int64_t{1} << 16;
int64_t ClampToChart(int64_t v);

// The bin width for values spanning `span` in at most `max_bins` bins: the
// smallest divisor of `align` that fits, or else `align` times a power of
// two, so bin edges fall on multiples of the gear interval. `span` is taken
// in [1, 2 * kMaxChartValue].
int64_t ChooseBinWidth(int64_t span, int max_bins, int64_t align);

// Bins `counts` by `width` (edges at multiples of it), from the bin holding
// the smallest value to the bin holding the largest; empty bins included.
std::vector<Bin> BinValues(const std::map<int64_t, double>& counts, int64_t width);

}  // namespace autoscale
