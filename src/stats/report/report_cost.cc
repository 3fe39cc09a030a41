// The report's cost section: the chosen gears' predicted cost as the
// runtime's router splits the dataset into calls, and each gear's share.
#include <algorithm>

#include "stats/report/html_text.h"
#include "stats/report/report_sections.h"
#include "stats/report/svg/svg_cost_curve.h"

namespace autoscale {

std::string CostSection(const ReportInput& input) {
  if (!input.evaluation) return "";
  const CostEvaluation& c = input.evaluation->cost;
  const std::string& u = c.unit;
  std::string out = "<section id=\"cost\">\n<h2>Predicted cost</h2>\n";
  out += "<p class=\"caption\">Each image's " +
         std::string(input.profile && input.profile->HasBatchInfo() ? "boxes are" : "samples are") +
         " split into model calls at the least predicted cost, as the runtime's router does: a "
         "call runs one tensor of its gear's batch \u00d7 h \u00d7 w, empty slots and padding "
         "included, and pays a fixed cost per call. Costs are in " +
         HtmlEscape(u == "ms" ? "milliseconds from the cost table"
                              : "input pixels plus " + FormatCost(input.config.cost_call_overhead) +
                                    " px per call") +
         ".</p>\n";
  out += "<div class=\"cards\">\n";
  out += Card("total cost", FormatCost(c.total) + " " + u, FormatCount(c.calls) + " calls");
  out += Card("per image", FormatCost(c.per_image) + " " + u, FormatCount(c.images) + " images");
  out += Card("per box", FormatCost(c.per_box) + " " + u, FormatCount(c.boxes) + " samples");
  out += Card("padding", FormatPercent(c.padding), "compute of the calls over the samples' - 1");
  out += Card("coverage", FormatShare(c.coverage), FormatCount(c.shrunk) + " shrunk");
  out += Card("saving vs static",
              input.savings_comparable ? FormatPercent(c.saving_vs_static) : std::string("n/a"),
              "static: " + FormatCost(c.static_total) + " " + u);
  out += "</div>\n";

  out += "<h3>Calls and cost of each gear</h3>\n";
  out +=
      "<div class=\"table-box\"><table class=\"gears\">\n<thead><tr><th>batch</th>"
      "<th>h \u00d7 w</th><th>calls</th><th>cost (" +
      HtmlEscape(u) +
      ")</th><th>share of "
      "cost</th><th></th></tr></thead>\n<tbody>\n";
  for (const GearCost& g : c.gears) {
    const double share = c.total > 0 ? g.cost / c.total : 0;
    out += std::string(g.runs == 0 ? "<tr class=\"idle\">" : "<tr>") + "<td>" +
           std::to_string(g.batch) + "</td><td>" + std::to_string(g.h) + " \u00d7 " +
           std::to_string(g.w) + "</td><td>" + FormatCount(g.runs) + "</td><td>" +
           HtmlEscape(FormatCost(g.cost)) + "</td><td>" + HtmlEscape(FormatShare(share)) +
           "</td><td><div class=\"share-bar\"><span style=\"width:" +
           FormatFixed(std::clamp(share, 0.0, 1.0) * 100, 1) + "%\"></span></div></td></tr>\n";
  }
  out += "</tbody></table></div>\n";
  // The chosen gear set's place on the curve: its largest model's gear count.
  size_t chosen = input.gears.hw.size();
  for (int64_t b : input.gears.batch) chosen = std::max(chosen, input.gears.HwFor(b).size());
  out += CostCurveFigure(input.cost_curve, u, static_cast<int64_t>(chosen));
  out += "</section>\n";
  return out;
}

std::string CostCurveFigure(const std::vector<CostCurvePoint>& points, const std::string& unit,
                            int64_t chosen) {
  if (points.empty()) return "";
  CostCurveChart chart;
  chart.id = "cost-curve";
  chart.label = "Predicted cost against the number of gears";
  chart.unit = unit;
  chart.points = points;
  chart.chosen = chosen;
  chart.frame.width = 720;
  chart.frame.height = 300;
  return "<h3>Cost against the number of gears</h3>\n<div class=\"chart-box\">\n" +
         RenderCostCurveSvg(chart) + "</div>\n";
}

}  // namespace autoscale
