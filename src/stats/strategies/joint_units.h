// The images the joint gear search routes, built from a profile. The
// profile keeps how many boxes of each size came from images of each box
// count, not which boxes shared an image, so the images are rebuilt under
// the assumption that box sizes are independent of one another: for each
// box count k, a few representative images of k boxes each, every one
// taking its boxes at evenly spaced ranks of those images' sorted boxes,
// weighted to stand for all images of k boxes.
#pragma once

#include <vector>

#include "stats/core/profile.h"
#include "stats/strategies/optimal_joint.h"

namespace autoscale {

// At most this many representative images per box count, and (when that
// leaves at least one) at most kBoxesPerBoxCount boxes in them together.
constexpr int64_t kUnitsPerBoxCount = 32;
constexpr int64_t kBoxesPerBoxCount = 4096;

// One unit per representative image; empty for a profile without box
// counts (an image folder).
std::vector<RoutingUnit> UnitsFromProfile(const Profile& profile);

}  // namespace autoscale
