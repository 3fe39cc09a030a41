#include "stats/report/svg/svg_chart.h"

#include <algorithm>
#include <cmath>

#include "stats/report/html_text.h"

namespace autoscale {

double LinearScale::operator()(double v) const {
  if (d1 == d0) return r0;
  return r0 + (v - d0) * (r1 - r0) / (d1 - d0);
}

std::vector<double> NiceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo || target < 1) return ticks;
  if (hi == lo) return {lo};
  const double raw = (hi - lo) / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * power;
    if (step >= raw) break;
  }
  step = std::max(step, 1.0);
  const double first = std::ceil(lo / step) * step;
  for (int i = 0;; ++i) {
    const double t = first + i * step;
    if (t > hi + step * 1e-9) break;
    ticks.push_back(t);
  }
  return ticks;
}

std::string SvgNumber(double v) {
  std::string s = FormatFixed(v, 2);
  if (s == "n/a") return "0";
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string TickLabel(double v) {
  const double r = std::round(v);
  if (std::fabs(v - r) < 1e-9 && std::fabs(r) < 9e18) {
    // Separators only from five digits on: sizes such as 2720 read better bare.
    const auto magnitude = static_cast<uint64_t>(std::fabs(r));
    const std::string digits = magnitude < 10000 ? std::to_string(magnitude) : FormatCount(magnitude);
    return r < 0 ? "-" + digits : digits;
  }
  return SvgNumber(v);
}

std::string CompactTickLabel(double v) {
  static const struct {
    double scale;
    const char* suffix;
  } kUnits[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  if (std::fabs(v) < 1e4) return TickLabel(v);
  for (const auto& u : kUnits)
    if (std::fabs(v) >= u.scale) return SvgNumber(std::round(v / u.scale * 100) / 100) + u.suffix;
  return TickLabel(v);
}

std::string CountLabel(double count) {
  const double r = std::round(count);
  if (std::fabs(count - r) < 1e-6 && r >= 0 && r < 1.8e19) return FormatCount(static_cast<uint64_t>(r));
  return FormatFixed(count, 1);
}

SvgWriter::SvgWriter(const std::string& id, const std::string& css_class, double width,
                     double height, const std::string& label) {
  out_ = "<svg id=\"" + HtmlEscape(id) + "\" class=\"" +
         HtmlEscape(css_class) + "\" width=\"" + SvgNumber(width) + "\" height=\"" +
         SvgNumber(height) + "\" viewBox=\"0 0 " + SvgNumber(width) + " " + SvgNumber(height) +
         "\" role=\"img\" aria-label=\"" + HtmlEscape(label) + "\">\n";
}

static std::string TitleElement(const std::string& tooltip) {
  return tooltip.empty() ? "" : "<title>" + HtmlEscape(tooltip) + "</title>";
}

void SvgWriter::Rect(double x, double y, double w, double h, const std::string& css_class,
                     const std::string& tooltip, const std::string& fill) {
  out_ += "<rect class=\"" + HtmlEscape(css_class) + "\" x=\"" + SvgNumber(x) + "\" y=\"" +
          SvgNumber(y) + "\" width=\"" + SvgNumber(std::max(0.0, w)) + "\" height=\"" +
          SvgNumber(std::max(0.0, h)) + "\"";
  if (!fill.empty()) out_ += " fill=\"" + HtmlEscape(fill) + "\"";
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += ">" + TitleElement(tooltip) + "</rect>\n";
  }
}

void SvgWriter::Line(double x1, double y1, double x2, double y2, const std::string& css_class,
                     const std::string& tooltip, const std::string& extra_attributes) {
  out_ += "<line class=\"" + HtmlEscape(css_class) + "\" x1=\"" + SvgNumber(x1) + "\" y1=\"" +
          SvgNumber(y1) + "\" x2=\"" + SvgNumber(x2) + "\" y2=\"" + SvgNumber(y2) + "\"";
  if (!extra_attributes.empty()) out_ += " " + extra_attributes;
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += ">" + TitleElement(tooltip) + "</line>\n";
  }
}

void SvgWriter::Circle(double cx, double cy, double r, const std::string& css_class,
                       const std::string& tooltip) {
  out_ += "<circle class=\"" + HtmlEscape(css_class) + "\" cx=\"" + SvgNumber(cx) + "\" cy=\"" +
          SvgNumber(cy) + "\" r=\"" + SvgNumber(r) + "\"";
  if (tooltip.empty()) {
    out_ += "/>\n";
  } else {
    out_ += ">" + TitleElement(tooltip) + "</circle>\n";
  }
}

void SvgWriter::Text(double x, double y, const std::string& text, const std::string& css_class,
                     const std::string& anchor, double rotate) {
  out_ += "<text class=\"" + HtmlEscape(css_class) + "\" x=\"" + SvgNumber(x) + "\" y=\"" +
          SvgNumber(y) + "\"";
  if (anchor != "start") out_ += " text-anchor=\"" + HtmlEscape(anchor) + "\"";
  if (rotate != 0) {
    out_ += " transform=\"rotate(" + SvgNumber(rotate) + " " + SvgNumber(x) + " " +
            SvgNumber(y) + ")\"";
  }
  out_ += ">" + HtmlEscape(text) + "</text>\n";
}

void SvgWriter::BeginGroup(const std::string& css_class) {
  out_ += "<g class=\"" + HtmlEscape(css_class) + "\">\n";
}

void SvgWriter::EndGroup() { out_ += "</g>\n"; }

std::string SvgWriter::Finish() { return out_ + "</svg>\n"; }

void DrawAxes(SvgWriter* svg, const ChartFrame& frame, const AxesSpec& axes) {
  const auto xf = axes.x_format ? axes.x_format : TickLabel;
  const auto yf = axes.y_format ? axes.y_format : TickLabel;
  const double left = frame.PlotLeft(), right = frame.PlotRight();
  const double top = frame.PlotTop(), bottom = frame.PlotBottom();
  svg->BeginGroup("axes");
  for (double t : axes.y_ticks) {
    const double y = axes.y(t);
    svg->Line(left, y, right, y, "grid");
    svg->Text(left - 6, y + 4, yf(t), "tick", "end");
  }
  // A tick label that would overlap the previous one is left out.
  double last_label_right = -1e9;
  for (double t : axes.x_ticks) {
    const double x = axes.x(t);
    const std::string text = xf(t);
    const double half = 3.3 * static_cast<double>(text.size());
    svg->Line(x, bottom, x, bottom + 5, "tick-mark");
    if (x - half < last_label_right + 6) continue;
    svg->Text(x, bottom + 18, text, "tick", "middle");
    last_label_right = x + half;
  }
  svg->Line(left, bottom, right, bottom, "axis");
  svg->Line(left, top, left, bottom, "axis");
  svg->Text((left + right) / 2, frame.height - 10, axes.x_label, "axis-title", "middle");
  svg->Text(16, (top + bottom) / 2, axes.y_label, "axis-title", "middle", -90);
  svg->EndGroup();
}

int64_t ClampToChart(int64_t v) { return std::clamp(v, -kMaxChartValue, kMaxChartValue); }

int64_t ChooseBinWidth(int64_t span, int max_bins, int64_t align) {
  align = std::clamp<int64_t>(align, 1, kMaxAlign);
  if (max_bins < 1) max_bins = 1;
  span = std::clamp<int64_t>(span, 1, 2 * kMaxChartValue);
  const auto fits = [&](int64_t w) { return (span + w - 1) / w <= max_bins; };
  for (int64_t d = 1; d <= align; ++d)
    if (align % d == 0 && fits(d)) return d;
  int64_t w = align;
  while (!fits(w)) w *= 2;
  return w;
}

std::vector<Bin> BinValues(const std::map<int64_t, double>& counts, int64_t width) {
  std::vector<Bin> bins;
  if (counts.empty() || width < 1) return bins;
  // Bin k holds ((k-1)*width, k*width]: k = ceil(v / width), for any sign of v.
  const auto bin_of = [width](int64_t v) {
    return v > 0 ? (v + width - 1) / width : -((-v) / width);
  };
  const int64_t first = bin_of(counts.begin()->first);
  const int64_t last = bin_of(counts.rbegin()->first);
  for (int64_t k = first; k <= last; ++k) bins.push_back({(k - 1) * width, k * width, 0.0});
  for (const auto& [v, n] : counts) bins[static_cast<size_t>(bin_of(v) - first)].count += n;
  return bins;
}

}  // namespace autoscale
