// The call shapes worth measuring on the device to fill a cost table
// (cost.table): every candidate batch gear x the candidate (h, w) values of
// the data, so the table covers what the strategies may choose.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/cost_table.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// At most this many values per dynamic h/w dim.
constexpr size_t kCostPlanValuesPerDim = 12;

// `count` of the ascending distinct `values`, spread geometrically from the
// smallest to the largest (both kept): for each of `count` targets evenly
// spaced in log scale, the smallest value at or above it that is not taken
// yet. All of them when there are at most `count`.
std::vector<int64_t> GeometricSubset(const std::vector<int64_t>& values, size_t count);

// The shapes, ascending by (batch, height, width):
//  batch: a fixed N; else batch_choices, or the powers of two 1..2048 when
//    optimal.batch_candidates is "any";
//  height/width: a fixed dim's value; else the samples' values (from
//    `profile`, or default_scaling without one) as gears (rounded up to
//    interval within height_range/width_range and limit_side_len), thinned
//    by GeometricSubset to kCostPlanValuesPerDim.
std::vector<runtime::CallShape> CostPlanShapes(const Profile* profile, const InputShape& shape,
                                               const ScalingConfig& config);

}  // namespace autoscale
