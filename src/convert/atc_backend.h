// The `atc` backend: runs Ascend's atc per planned model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeAtcBackend();

// Whether `model` goes to atc as --input_format=ND --dynamic_dims: always
// for a dynamic model with atc_mode "dims"; with "native" unless only N, or
// only H and W, are dynamic (--dynamic_batch_size, --dynamic_image_size).
bool UsesDynamicDims(const PlannedModel& model, const ConvertOptions& options);

// The atc argument vector for one planned model, argv[0] = `binary`: the
// model, framework, output, SoC, input shape and format, the dynamic option,
// then options.atc_args. In a dry run paths are relative to the output
// folder (CommandModelPath).
std::vector<std::string> AtcCommand(const Plan& plan, const PlannedModel& model,
                                    const ConvertOptions& options, const std::string& binary);

}  // namespace autoscale
