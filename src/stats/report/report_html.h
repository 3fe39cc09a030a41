// The HTML report: one self-contained file (inline SVG, no network) that
// shows the dataset, the chosen gears drawn over its distribution, and what
// each strategy's gears cost.
#pragma once

#include <array>
#include <cstdint>
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

// One model file of a conversion, as the report shows it.
struct ReportModelFile {
  std::string name;
  // Relative to the output folder; empty when the model was not written.
  std::string file;
  std::string mode;         // "dynamic_bs", ...
  std::string input_shape;  // the shape it is compiled with
  // Every full input shape (n, c, h, w) it accepts.
  std::vector<std::array<int64_t, 4>> gears;
  // The call a runtime makes to pick a gear; "" for a static model.
  std::string runtime_call;
  bool ok = true;
  std::string error;  // when not ok
};

// What a conversion did, for `autoscale convert --report`.
struct ReportConversion {
  std::string model_path;
  std::string input_name;
  std::string backend;
  std::string atc_mode;  // "native" or "dims" (atc and lite)
  std::string output_path;
  bool dry_run = false;
  std::vector<ReportModelFile> models;
  // The converter command lines, shell-quoted, one per model (external
  // backends); in a dry run, the commands of convert.sh.
  std::vector<std::string> commands;
  // A dry run's convert.sh; empty otherwise.
  std::string script_path;
};

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
  // False when samples no gear can hold are shrunk while the static shape
  // holds them: every saving vs static then reads "n/a". Default true.
  bool savings_comparable = true;
  // Set by `convert`: the model files written and how; absent for `stats`.
  std::optional<ReportConversion> conversion;
};

std::string RenderReportHtml(const ReportInput& input);

}  // namespace autoscale
