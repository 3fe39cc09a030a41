// The range strategies `mean_std` and `max_min`: per dynamic
// dim a value range from the profile, clipped, its ends rounded up to
// `interval` and filled with evenly spaced gears. MindOCR's semantics without
// its bugs: no zero or negative gear, the (h, w) grid really fits
// max_scaling_num, at least 2 gears for every dynamic model. Also the gear
// arithmetic that default gears and the evaluation share.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "common/status.h"
#include "stats/core/gear_limits.h"
#include "stats/core/gear_set.h"
#include "stats/core/histogram.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

enum class RangeKind { kMeanStd, kMaxMin };

// A value range before clipping and rounding; may be empty or negative.
struct ValueRange {
  double lo = 0;
  double hi = 0;
};

// [mean - n_std*sigma, mean + n_std*sigma], sigma the population std.
ValueRange MeanStdRange(const Histogram& values, double n_std);
// [min - (max-min)*expand_ratio/2, max + (max-min)*expand_ratio/2].
ValueRange MaxMinRange(const Histogram& values, double expand_ratio);
// The range `kind` gives with the config's n_std or expand_ratio.
ValueRange RangeFor(RangeKind kind, const Histogram& values, const ScalingConfig& config);

// One dynamic h/w dim's gear span: both ends multiples of interval, and
// `count` = (hi - lo) / interval + 1 candidate values.
struct DimSpan {
  int64_t lo = 0;
  int64_t hi = 0;
  int64_t count = 0;
};

// The span of dim `d` (kH or kW) for `values`: the range clamped into
// height_range / width_range (and LimitSideCap), ends rounded up.
DimSpan SpanFor(RangeKind kind, const Histogram& values, Dim d, const InputShape& shape,
                const ScalingConfig& config);

// `count` values evenly spaced in [lo, hi], each rounded up to interval,
// deduplicated, ascending; `hi` is always the last. count 1 gives {hi}:
// the one gear every sample of the span fits.
std::vector<int64_t> SpacedGears(int64_t lo, int64_t hi, int64_t count, int64_t interval);

// Per-dim counts (each at least 1, at most what was asked) whose product is
// at most `limit`; MindOCR's square-root split, then any budget the floor
// left unused given back to the first dim.
std::pair<int64_t, int64_t> FitGrid(int64_t num_h, int64_t num_w, int64_t limit);

// Every (h, w) pair of `heights` x `widths`; a fixed dim takes the model's
// value (its list is ignored). Ascending.
std::vector<HwGear> HwGrid(const std::vector<int64_t>& heights, const std::vector<int64_t>& widths,
                           const InputShape& shape);

// Batch gears: `choices` within the range `kind` gives for the box counts,
// widened to at least two choices (see the .cc); `choices` as they are
// when there is no box count. At most 100.
std::vector<int64_t> RangeBatchGears(RangeKind kind, const Histogram& box_counts,
                                     const ScalingConfig& config);

// The gears `kind` gives for `shape` from `profile`; satisfies
// CheckGearGuarantees. Errors: no samples for a dynamic h/w, a budget below
// 2 gears, fewer than 2 batch_choices for an N-only model.
Result<GearSet> RangeGears(RangeKind kind, const Profile& profile, const InputShape& shape,
                           const ScalingConfig& config);

}  // namespace autoscale
