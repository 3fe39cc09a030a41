#include "stats/core/profile_split.h"

#include <random>

namespace autoscale {

namespace {

// A part with the whole's shape and origin but no samples yet.
Profile EmptyPart(const Profile& whole) {
  Profile p;
  p.input_shape = whole.input_shape;
  p.limit_side_len = whole.limit_side_len;
  p.dataset.type = whole.dataset.type;
  p.dataset.path = whole.dataset.path;
  return p;
}

// True with probability `fraction`: the top 53 bits of one draw as a number
// in [0, 1), so the split does not depend on the standard library's
// distributions.
bool Draw(std::mt19937_64* rng, double fraction) {
  return static_cast<double>((*rng)() >> 11) * 0x1.0p-53 < fraction;
}

}  // namespace

ProfileSplit SplitProfile(const Profile& whole, double fraction, uint64_t seed) {
  std::mt19937_64 rng(seed);
  ProfileSplit split{EmptyPart(whole), EmptyPart(whole)};
  split.kept.dataset.skipped = whole.dataset.skipped;
  split.kept.dataset.warnings = whole.dataset.warnings;
  split.kept.dataset.warnings_total = whole.dataset.warnings_total;
  if (!whole.HasBatchInfo()) {
    // An image folder: each image alone.
    for (const auto& [key, n] : whole.samples())
      for (uint64_t i = 0; i < n; ++i) {
        Profile& part = Draw(&rng, fraction) ? split.holdout : split.kept;
        part.AddSample(key);
        part.dataset.images++;
      }
    return split;
  }
  // Annotated images: each with all its boxes.
  for (const RoutingUnit& unit : whole.RoutingUnits()) {
    const int64_t boxes = static_cast<int64_t>(unit.items.size());
    for (uint64_t i = 0; i < unit.count; ++i) {
      Profile& part = Draw(&rng, fraction) ? split.holdout : split.kept;
      for (const runtime::Item& item : unit.items) part.AddSample({boxes, item.h, item.w});
      part.AddBoxCount(boxes);
      part.AddImageBoxes(unit.items);
      part.dataset.images++;
      part.dataset.boxes += unit.items.size();
    }
  }
  return split;
}

}  // namespace autoscale
