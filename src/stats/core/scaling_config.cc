#include "stats/core/scaling_config.h"

namespace autoscale {

DefaultScaling::DefaultScaling() {
  for (int64_t h = 32; h <= 640; h += 32) height.push_back(h);
  for (int64_t w = 64; w <= 960; w += 32) width.push_back(w);
}

Status ValidateConfig(const ScalingConfig& c) {
  if (c.interval > c.width_max && c.interval > c.height_max)
    return Status::Error("key 'interval': " + std::to_string(c.interval) +
                         " is larger than both width_range and height_range");
  return Status::Ok();
}

}  // namespace autoscale
