// The `optimal` strategy: the gears that minimise the compute of serving the
// profile (as the evaluation prices it) under the gear budget and the
// coverage target, satisfying CheckGearGuarantees.
//  - Candidate h/w values: each sample rounded up to `interval`, raised to
//    the range's lower end; width_range / height_range (and limit_side_len
//    where H and W are both dynamic) bound them, ends rounded up. A sample
//    above the upper bound fits no gear and is shrunk whatever the gears.
//  - optimal.coverage: at least that share of samples must fit a gear
//    unshrunk (capped at the share the bounds let fit); the ones left out are
//    the largest by compute. The same share of images must run their boxes
//    in one batch run (box count <= the largest batch gear).
//  - One dynamic dim: exact (optimal_1d.h). H and W: free pairs (optimal_pairs.h,
//    exact on small profiles, never worse than the best grid found).
//  - Batch gears: exact over the box-count histogram (optimal_batch.h), from
//    batch_choices or 1..2048 (optimal.batch_candidates), at most
//    optimal.max_batch_num (0: as many as batch_choices). An image folder
//    has no box counts: batch_choices as they are, spread over the budget.
//  - N and H/W dynamic with box counts and optimal.coverage 1: the batch
//    gears and each batch model's h/w gears (hw_per_batch) are searched
//    together for the least predicted cost of the calls the runtime router
//    makes (optimal_joint.h; the profile's images (JointUnitsOf), calls
//    priced by the config's cost model (CostModelOf)), started from the
//    box-count optimum. Coverage below 1 is not modelled by the joint
//    search: every batch model gets the gears chosen for all samples (`hw`,
//    no hw_per_batch). With full coverage `hw` still holds the gears chosen
//    for all samples together, within the same budget, for any batch gear
//    that serves none.
// A single gear is never returned for a dynamic model: when one is optimal a
// second one that costs nothing is added (below it when the bounds allow).
// Errors name the key that makes the guarantees impossible.
#pragma once

#include "common/status.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

#include "stats/strategies/optimal_joint.h"

namespace autoscale {

// The images the runtime routes together (Profile::RoutingUnits), as the
// joint search takes them.
std::vector<JointUnit> JointUnitsOf(const Profile& profile);

Result<GearSet> OptimalGears(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config);

// Where more gears stop paying: the least predicted cost found with at most
// k (h, w) gears per batch model, for k = 1..HwGearLimit, never increasing in
// k. The batch gears are `batch` (the chosen ones; the model's N when N is
// fixed, 1 for an image folder's batch of one). Empty when H and W are fixed
// or the profile has no sample.
std::vector<std::pair<int64_t, double>> OptimalCostCurve(const Profile& profile,
                                                         const InputShape& shape,
                                                         const ScalingConfig& config,
                                                         const std::vector<int64_t>& batch);

}  // namespace autoscale
