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

// Its text: [ascend_context] with input_format, input_shape, dynamic_dims.
std::string LiteConfigText(const Plan& plan, const PlannedModel& model);

// The converter_lite argument vector for one planned model, argv[0] = `binary`.
std::vector<std::string> LiteCommand(const Plan& plan, const PlannedModel& model,
                                     const ConvertOptions& options, const std::string& binary);

}  // namespace autoscale
