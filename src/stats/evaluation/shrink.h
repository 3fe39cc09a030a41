// The samples a gear set cannot hold: the router clamps each to the gear of
// the largest area (runtime::Router::Cover), so the model sees it shrunk.
// How many there are and how much of each side survives the clamp tells
// whether a gear set (one given with --gears, or chosen on another part of
// the data) is too small for the data.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"

namespace autoscale {

// One distinct shrunk (h, w) and how often the profile has it.
struct ShrunkSize {
  int64_t h = 0, w = 0;
  uint64_t count = 0;
  double scale = 1;  // the kept share of its more shrunk side
};

struct ShrinkEvaluation {
  uint64_t samples = 0;  // samples of the profile
  uint64_t shrunk = 0;   // of them, held by no gear
  double share = 0;      // shrunk / samples
  // Per shrunk sample, min(clamped h / h, clamped w / w): the smallest and the
  // mean over the shrunk samples (1 when none is shrunk).
  double min_scale = 1;
  double mean_scale = 1;
  // The most shrunk distinct sizes, most shrunk first, at most kMaxListed.
  std::vector<ShrunkSize> worst;
  static constexpr size_t kMaxListed = 5;
  // {"samples", "shrunk", "share", "min_scale", "mean_scale",
  //  "worst": [{"h", "w", "count", "scale"}, ...]}
  nlohmann::json ToJson() const;
};

ShrinkEvaluation EvaluateShrink(const Profile& profile, const GearSet& gears,
                                const InputShape& shape);

}  // namespace autoscale
