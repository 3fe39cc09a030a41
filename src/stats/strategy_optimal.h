// The `optimal` strategy: the gears that minimise the expected compute of
// serving the profile under the gear budget and the coverage target.
#pragma once

#include "common/status.h"
#include "stats/gear_set.h"
#include "stats/input_shape.h"
#include "stats/profile.h"
#include "stats/scaling_config.h"

namespace autoscale {

Result<GearSet> OptimalGears(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config);

}  // namespace autoscale
