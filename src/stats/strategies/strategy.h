// Strategies turn a Profile into a GearSet (see ARCHITECTURE.md, The
// pipeline); every result satisfies CheckGearGuarantees.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// A strategy: its name (the config's `strategy` value) and the function that
// computes its gears.
struct StrategyEntry {
  const char* name;
  Result<GearSet> (*compute)(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config);
};

// Every strategy, in the order the comparison lists them; the one list that
// ComputeGears, StrategyNames and the config's `strategy` choices read.
const std::vector<StrategyEntry>& Strategies();

// The names of Strategies(), in order: "mean_std", "max_min", "optimal".
std::vector<std::string> StrategyNames();

// Gears for `shape` from `profile` with the strategy named `strategy` (one of
// StrategyNames()). The result satisfies CheckGearGuarantees.
Result<GearSet> ComputeGears(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config, const std::string& strategy);

// Gears from `default_scaling` when there is no dataset, capped like any
// other gear set.
Result<GearSet> DefaultGears(const InputShape& shape, const ScalingConfig& config);

}  // namespace autoscale
