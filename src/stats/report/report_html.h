// The HTML report: one self-contained file (inline SVG, no network) that
// shows the dataset, the chosen gears drawn over its distribution, and what
// each strategy's gears cost.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stats/evaluation/comparison.h"
#include "stats/evaluation/evaluation.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"
#include "stats/report/svg/svg_cost_curve.h"

namespace autoscale {

struct ReportInput {
  // A heading, e.g. the dataset path or job name.
  std::string title;
  InputShape shape;
  ScalingConfig config;
  // The dataset profile; absent when default_scaling was used.
  const Profile* profile = nullptr;
  std::string strategy;
  GearSet gears;
  std::optional<Evaluation> evaluation;
  // What each strategy's gears and the static shape cost.
  Comparison comparison;
  // Cost against the number of gears (gears, total cost); drawn when not
  // empty.
  std::vector<CostCurvePoint> cost_curve;
  // What the figures cannot be trusted for, one sentence each (samples no
  // gear holds, say); listed above the cost. Default none.
  std::vector<std::string> warnings;
};

std::string RenderReportHtml(const ReportInput& input);

}  // namespace autoscale
