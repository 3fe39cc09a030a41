// A profile split at random into two parts, for choosing gears on one part
// and judging them on the other (`--holdout`). The unit of the split is what
// the runtime routes together: an annotated image goes whole to one part
// with all its boxes; an image folder's images go one by one. The same
// profile, fraction and seed give the same split on every machine.
#pragma once

#include <cstdint>

#include "stats/core/profile.h"

namespace autoscale {

struct ProfileSplit {
  Profile kept;     // what the gears are chosen on
  Profile holdout;  // what they are judged on
};

// Each unit goes to `holdout` with probability `fraction` (0 < fraction < 1),
// drawn from a 64-bit Mersenne Twister seeded with `seed`. Both parts keep
// the input shape, limit_side_len and dataset type and path; images and boxes
// are counted per part, skip counts and warnings stay with `kept`.
ProfileSplit SplitProfile(const Profile& profile, double fraction, uint64_t seed);

}  // namespace autoscale
