// Pieces the report's sections share: key-figure cards, legends, tables.
#include <algorithm>

#include "stats/report/html_text.h"
#include "stats/report/report_sections.h"
#include "stats/report/svg/svg_chart.h"

namespace autoscale {

std::string Card(const std::string& label, const std::string& value, const std::string& note) {
  std::string out = "<div class=\"card\"><div class=\"card-value\">" + HtmlEscape(value) +
                    "</div><div class=\"card-label\">" + HtmlEscape(label) + "</div>";
  if (!note.empty()) out += "<div class=\"card-note\">" + HtmlEscape(note) + "</div>";
  return out + "</div>\n";
}

std::string FigureCards(const DimEvaluation& e, const std::string& static_shape) {
  return "<div class=\"cards\">\n" +
         Card("coverage", FormatShare(e.coverage), "fit a gear unshrunk") +
         Card("samples", FormatCount(e.samples), "") +
         (static_shape.empty() ? "" : Card("static shape", static_shape, "fits every sample")) +
         "</div>\n";
}

std::string BarGearLegend(const std::string& bar_text, const std::string& gear_text) {
  return "<p class=\"legend\"><span class=\"swatch swatch-bar\"></span>" + HtmlEscape(bar_text) +
         "<span class=\"swatch swatch-gear\"></span>" + HtmlEscape(gear_text) + "</p>\n";
}

std::string GearShareTable(const std::string& gear_heading, const std::vector<std::string>& names,
                           const std::string& count_heading, const GearUsage& usage,
                           bool cumulative) {
  std::string out = "<div class=\"table-box\"><table class=\"gears\">\n<thead><tr><th>#</th><th>" +
                    HtmlEscape(gear_heading) + "</th><th>" + HtmlEscape(count_heading) +
                    "</th><th>share</th>" + (cumulative ? "<th>cumulative</th>" : "") +
                    "<th></th></tr></thead>\n<tbody>\n";
  double running = 0;
  for (size_t i = 0; i < names.size() && i < usage.served.size(); ++i) {
    const double share = usage.total > 0 ? usage.served[i] / usage.total : 0;
    running += share;
    const double bar = std::clamp(share, 0.0, 1.0) * 100;
    out += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + HtmlEscape(names[i]) + "</td><td>" +
           CountLabel(usage.served[i]) + "</td><td>" + HtmlEscape(FormatShare(share)) + "</td>" +
           (cumulative ? "<td>" + HtmlEscape(FormatShare(std::min(1.0, running))) + "</td>" : "") +
           "<td><div class=\"share-bar\"><span style=\"width:" + FormatFixed(bar, 1) +
           "%\"></span></div></td></tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string JoinValues(const std::vector<int64_t>& values) {
  std::string out;
  for (int64_t v : values) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

}  // namespace autoscale
