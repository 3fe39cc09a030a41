// Strategies turn a Profile into a GearSet (DESIGN step 4).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// The strategy names ComputeGears accepts.
std::vector<std::string> StrategyNames();

// Gears for `shape` from `profile` with `strategy` ("mean_std", "max_min",
// "optimal"). The result satisfies CheckGearGuarantees.
Result<GearSet> ComputeGears(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config, const std::string& strategy);

// Gears from `default_scaling` when there is no dataset, capped like any
// other gear set.
Result<GearSet> DefaultGears(const InputShape& shape, const ScalingConfig& config);

}  // namespace autoscale
