// The sections of the HTML report (report_html.h) that show the samples'
// distributions with the gears over them. Each returns a complete <section>
// element, or "" when it does not apply.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stats/report/report_html.h"
#include "stats/report/svg/svg_cost_curve.h"

namespace autoscale {

// One dynamic dim (width or height): histogram, gear lines, gear shares.
std::string OneDimSection(const ReportInput& input);
// H and W dynamic: heat map of the sizes with each gear's rectangle.
std::string PairsSection(const ReportInput& input);
// N and H/W dynamic with per-batch gears: one small chart per batch model.
std::string PerBatchSection(const ReportInput& input);
// N dynamic: the box-count histogram with the batch gears.
std::string BatchSection(const ReportInput& input);
// With an evaluation: the predicted cost, each gear's calls and cost, and
// the cost curve when the input has one (report_cost.cc).
std::string CostSection(const ReportInput& input);
// With a conversion: the model, input, backend and mode, each model file with
// its gears and runtime call, and the converter commands (report_conversion.cc).
std::string ConversionSection(const ReportInput& input);
// The cost-against-gears chart under a heading; "" without points.
std::string CostCurveFigure(const std::vector<CostCurvePoint>& points, const std::string& unit,
                            int64_t chosen);

// Shared pieces (report_parts.cc).
// What the gears of a share table serve, as the router split the images.
struct GearUsage {
  // served[i]: the samples (or calls, for batch gears) gear i serves, shrunk
  // ones included.
  std::vector<double> served;
  // Samples no gear holds (served, shrunk, by the largest gear).
  double shrunk = 0;
  double total = 0;
};
// One key figure as a card: value, label and an optional note.
std::string Card(const std::string& label, const std::string& value, const std::string& note);
// Coverage and samples of one evaluated dimension as a row of cards.
std::string FigureCards(const DimEvaluation& e, const std::string& static_shape);
// A legend line: a bar swatch and a gear swatch with their texts.
std::string BarGearLegend(const std::string& bar_text, const std::string& gear_text);
// The table of what each gear serves: #, the gear's name, the count, its
// share (and the running total when `cumulative`), and a bar.
std::string GearShareTable(const std::string& gear_heading, const std::vector<std::string>& names,
                           const std::string& count_heading, const GearUsage& usage,
                           bool cumulative);
// "1, 4, 8"
std::string JoinValues(const std::vector<int64_t>& values);

}  // namespace autoscale
