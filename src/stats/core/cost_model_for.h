// The cost model the gear choice prices calls with, from the configuration.
#pragma once

#include "runtime/cost_model.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// The pixel model with the configured per-call overhead.
runtime::CostModel CostModelFor(const ScalingConfig& config);

}  // namespace autoscale
