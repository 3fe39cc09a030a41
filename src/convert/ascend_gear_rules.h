// What Ascend's converters (ATC, and MindSpore Lite, which hands its
// dynamic_dims to ATC) reject in a model's gears, checked before anything runs
// so that a bad gear set fails in a second with a clear line instead of after
// minutes inside the converter.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "convert/plan.h"
#include "stats/core/gear_limits.h"

namespace autoscale {

// ATC accepts 2..kMaxGearsPerModel profiles per dynamic input and batch
// sizes 1..kMaxBatchGear (stats/core/gear_limits.h).
constexpr int kAscendMinProfiles = 2;

// The dims of `shape` that are -1, in N, C, H, W order.
std::vector<Dim> DynamicDims(const InputShape& shape);

// One profile per gear: the gear's values of `dims`, in order ("values fill
// the -1s in order").
std::vector<std::vector<int64_t>> GearProfiles(const std::vector<FullShape>& gears,
                                               const std::vector<Dim>& dims);

// Checks `model` against ATC's rules: a dynamic model has 2..100 gears, no
// two alike; every value is a positive integer; N is within 1..2048; a gear
// keeps the dims its shape pins. The error names the model and the gear.
Status CheckAscendGears(const PlannedModel& model);

}  // namespace autoscale
