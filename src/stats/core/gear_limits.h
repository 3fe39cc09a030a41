// The rules every gear obeys, whoever chooses it: the converters' limits on
// gear counts and batch sizes, rounding to `interval`, and the values a gear
// of one dim may take under the config. Strategies, default gears, the
// evaluation and the backends all read them from here.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// ATC and MindSpore Lite take at most this many gears per model, and batch
// gears up to kMaxBatchGear.
constexpr int64_t kMaxGearsPerModel = 100;
constexpr int64_t kMaxBatchGear = 2048;

// The smallest multiple of `interval` that is >= x and >= interval.
int64_t RoundUpToInterval(double x, int64_t interval);

// The most h/w gears one model may have: max_scaling_num, never above 100.
int64_t HwGearLimit(const ScalingConfig& config);

// An error when max_scaling_num leaves room for fewer than the 2 gears a
// dynamic h/w model needs.
Status CheckHwBudget(const ScalingConfig& config);
// CheckHwBudget, and an error when the profile has no sample to derive h/w
// gears from. Every strategy checks this before it picks h/w gears.
Status CheckHwPreconditions(const Profile& profile, const ScalingConfig& config);

// The largest h/w value that can serve a sample when H and W are both
// dynamic: limit_side_len rounded up to interval (no sample is larger).
// INT64_MAX when the limit does not apply.
int64_t LimitSideCap(const InputShape& shape, const ScalingConfig& config);

// The range a gear of one dim may take: the config's height_range or
// width_range, capped at LimitSideCap where it applies (unless the range
// starts above it: the user's minimum wins). Before rounding.
struct GearBounds {
  int64_t lo = 0;
  int64_t hi = 0;
  // The smallest and largest gear allowed: the ends rounded up to interval.
  int64_t GearLo(int64_t interval) const;
  int64_t GearHi(int64_t interval) const;
  // The gear a sample of `v` needs: v rounded up, at least GearLo; 0 when
  // no allowed gear holds it.
  int64_t GearFor(int64_t v, int64_t interval) const;
};
GearBounds GearBoundsFor(Dim d, const InputShape& shape, const ScalingConfig& config);

// The samples of `profile` no allowed gear can hold: a dynamic dim's side
// above GearBoundsFor(...).GearHi. Every strategy shrinks them, while the
// static shape the saving is measured against holds them unshrunk.
uint64_t SamplesBeyondGearBounds(const Profile& profile, const InputShape& shape,
                                 const ScalingConfig& config);

// `count` of the ascending `values`, evenly spread, smallest and largest
// kept; count 1 keeps the largest (every sample fits it).
std::vector<int64_t> SpreadSubset(const std::vector<int64_t>& values, int64_t count);

}  // namespace autoscale
