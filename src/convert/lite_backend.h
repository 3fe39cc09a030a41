// The `lite` backend: runs MindSpore Lite's converter_lite per planned model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeLiteBackend();

// <output_path>/<name>_lite.cfg: the config file of one planned model.
std::string LiteConfigPath(const ConvertOptions& options, const PlannedModel& model);

// The config file as a command names it: LiteConfigPath, or in a dry run its
// name (convert.sh runs in the output folder).
std::string CommandConfigPath(const ConvertOptions& options, const PlannedModel& model);

// Its text: [ascend_context] with input_format (NCHW; ND for a dynamic model
// with atc_mode dims), input_shape and dynamic_dims, then options.lite_config
// (ascend_context entries in that section, others in their own), files named
// as the command sees them. The first form uses the default options.
std::string LiteConfigText(const Plan& plan, const PlannedModel& model);
std::string LiteConfigText(const Plan& plan, const PlannedModel& model,
                           const ConvertOptions& options);

// The converter_lite argument vector for one planned model, argv[0] = `binary`,
// options.lite_args last; in a dry run paths relative to the output folder.
std::vector<std::string> LiteCommand(const Plan& plan, const PlannedModel& model,
                                     const ConvertOptions& options, const std::string& binary);

}  // namespace autoscale
