// A conversion: the stats pipeline, the plan, a backend, and the outputs
// (gears.json, scaling_data.json, the summary). `convert` runs it once, `run` once per job.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/stats_pipeline.h"
#include "common/status.h"
#include "convert/backend.h"
#include "convert/plan.h"

namespace autoscale {

struct ConvertReport {
  PipelineResult pipeline;
  Plan plan;
  std::vector<ModelOutcome> outcomes;
  // The options the conversion ran with (static_per_gear as applied).
  ConvertOptions convert;
  // The files written besides the models (gears.json, scaling_data.json).
  std::vector<std::string> output_files;
  // Whether the new set replaced the output folder's files: only when every
  // model converted (convert/output_set.h); else only the logs were kept.
  bool committed = false;
  bool ok() const;
  nlohmann::json ToJson() const;
  std::string Summary() const;
};

// The whole conversion. An error before any model is converted (bad input,
// model, shape, output folder) is returned as a Status; converter failures
// are in the report's outcomes.
Result<ConvertReport> RunConvert(const PipelineOptions& pipeline, const ConvertOptions& convert);

// What is wrong with the options themselves (the convert options, the
// backend's name, then CheckPipelineOptions), before any file is read; then
// the paths it reads and writes (CheckCommandPaths: overlaps, output
// locations). RunConvert fails with the same message on the options, and
// does not check the paths again.
Status CheckConvertCommand(const PipelineOptions& pipeline, const ConvertOptions& convert);

}  // namespace autoscale
