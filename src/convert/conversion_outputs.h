// The files a conversion writes beside the models:
// gears.json, what a runtime needs to serve each model, and
// scaling_data.json, the gears in the layout MindOCR's tools read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "convert/backend.h"
#include "convert/plan.h"

namespace autoscale {

// {"source_model", "input_name", "input_shape", "limit_side_len", "backend",
//  "atc_mode" (how atc/lite got the dynamic dims; see RuntimeCallFor),
//  "cost": options.cost_model (when set),
//  "models": [{"name", "file", "mode", "input_name", "input_shape", "gears",
//              "runtime_call"}, ...],            // the models written
//  "failed": [{"name", "error"}, ...]}           // the models that failed
// "file" is relative to the output folder (the first file of the outcome,
// else "<name>" plus the backend's extension).
nlohmann::json GearsJson(const Plan& plan, const std::vector<ModelOutcome>& outcomes,
                         const ConvertOptions& options);

// Writes <output_path>/gears.json and, when the plan has a dynamic model,
// <output_path>/scaling_data.json, each through a temporary name. Returns
// the paths written.
Result<std::vector<std::string>> WriteConversionOutputs(const Plan& plan,
                                                        const std::vector<ModelOutcome>& outcomes,
                                                        const ConvertOptions& options);

}  // namespace autoscale
