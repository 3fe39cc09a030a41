// The gears a model is compiled for: batch sizes and (h, w) shapes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "stats/core/input_shape.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

using HwGear = std::pair<int64_t, int64_t>;  // (h, w)

struct GearSet {
  // Batch gears, ascending; empty when N is fixed.
  std::vector<int64_t> batch;
  // The distinct heights and widths used by `hw`, ascending; empty for a
  // fixed dim.
  std::vector<int64_t> height;
  std::vector<int64_t> width;
  // The exact (h, w) shapes a converter gets, ascending; fixed dims carry the
  // model's value. Empty when H and W are both fixed.
  std::vector<HwGear> hw;
  // With N and H/W dynamic: per batch gear, the (h, w) gears of that batch's
  // model when they differ from `hw`. A batch gear not in the map uses `hw`.
  std::map<int64_t, std::vector<HwGear>> hw_per_batch;

  // The (h, w) gears of batch gear `b`.
  const std::vector<HwGear>& HwFor(int64_t b) const;
  nlohmann::json ToJson() const;
};

// Fills `height` and `width` from `hw` (and from hw_per_batch), sorts and
// dedups everything. Without the shape a dim counts as fixed when its list
// was empty and every gear has the same value in it; pass the shape to be
// exact (a dynamic dim may legitimately take one value in a 2-D grid).
void Normalize(GearSet* gears);
void Normalize(GearSet* gears, const InputShape& shape);

// The guarantees converters require: h/w values positive
// multiples of `interval` (a fixed dim keeps the model's value), batch
// 1..2048, no duplicates, at least 2 gears for a dynamic model, at most
// max_scaling_num (and 100) per model. The error says which one fails.
Status CheckGearGuarantees(const GearSet& gears, const InputShape& shape,
                           const ScalingConfig& config);

}  // namespace autoscale
