// The `atc` backend: runs Ascend's atc per planned model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "convert/backend.h"

namespace autoscale {

std::unique_ptr<Backend> MakeAtcBackend();

// The atc argument vector for one planned model, argv[0] = `binary`.
std::vector<std::string> AtcCommand(const Plan& plan, const PlannedModel& model,
                                    const ConvertOptions& options, const std::string& binary);

}  // namespace autoscale
