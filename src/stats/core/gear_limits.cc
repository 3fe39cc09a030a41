#include "stats/core/gear_limits.h"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <limits>
#include <string>

namespace autoscale {

int64_t RoundUpToInterval(double x, int64_t interval) {
  // The tolerance keeps 64.0000000001 (a mean of exact values) at 64.
  const double steps = std::ceil(x / static_cast<double>(interval) - 1e-9);
  if (!(steps >= 1)) return interval;  // also catches NaN
  // Beyond any real size (a hand-edited profile): the largest multiple.
  const int64_t most = std::numeric_limits<int64_t>::max() / interval;
  if (steps >= static_cast<double>(most)) return most * interval;
  return static_cast<int64_t>(steps) * interval;
}

int64_t HwGearLimit(const ScalingConfig& config) {
  return std::min(config.max_scaling_num, kMaxGearsPerModel);
}

Status CheckHwBudget(const ScalingConfig& config) {
  if (HwGearLimit(config) >= 2) return Status::Ok();
  return Status::Error("key 'max_scaling_num': " + std::to_string(config.max_scaling_num) +
                       " allows a single gear; a dynamic model needs at least 2");
}

Status CheckHwPreconditions(const Profile& profile, const ScalingConfig& config) {
  Status budget = CheckHwBudget(config);
  if (!budget.ok()) return budget;
  if (profile.SampleCount() == 0)
    return Status::Error("the profile has no samples to derive height/width gears from");
  return Status::Ok();
}

int64_t LimitSideCap(const InputShape& shape, const ScalingConfig& config) {
  if (!(shape.HeightDynamic() && shape.WidthDynamic())) return std::numeric_limits<int64_t>::max();
  return RoundUpToInterval(static_cast<double>(config.limit_side_len), config.interval);
}

std::vector<int64_t> SpreadSubset(const std::vector<int64_t>& values, int64_t count) {
  const int64_t n = static_cast<int64_t>(values.size());
  if (count >= n) return values;
  if (count <= 0) return {};
  if (count == 1) return {values.back()};
  std::vector<int64_t> out;
  for (int64_t i = 0; i < count; ++i) {
    // round(i * (n - 1) / (count - 1))
    const int64_t idx = (2 * i * (n - 1) + (count - 1)) / (2 * (count - 1));
    if (out.empty() || out.back() != values[idx]) out.push_back(values[idx]);
  }
  return out;
}

GearBounds GearBoundsFor(Dim d, const InputShape& shape, const ScalingConfig& config) {
  const int64_t lo = d == kH ? config.height_min : config.width_min;
  int64_t hi = d == kH ? config.height_max : config.width_max;
  hi = std::max(lo, std::min(hi, LimitSideCap(shape, config)));
  return {lo, hi};
}

uint64_t SamplesBeyondGearBounds(const Profile& profile, const InputShape& shape,
                                 const ScalingConfig& config) {
  const int64_t h_hi =
      shape.HeightDynamic() ? GearBoundsFor(kH, shape, config).GearHi(config.interval) : INT64_MAX;
  const int64_t w_hi =
      shape.WidthDynamic() ? GearBoundsFor(kW, shape, config).GearHi(config.interval) : INT64_MAX;
  uint64_t beyond = 0;
  for (const auto& [key, n] : profile.samples())
    if (key.h > h_hi || key.w > w_hi) beyond += n;
  return beyond;
}

int64_t GearBounds::GearLo(int64_t interval) const {
  return RoundUpToInterval(static_cast<double>(lo), interval);
}

int64_t GearBounds::GearHi(int64_t interval) const {
  return RoundUpToInterval(static_cast<double>(hi), interval);
}

int64_t GearBounds::GearFor(int64_t v, int64_t interval) const {
  const int64_t top = GearHi(interval);
  if (v > top) return 0;  // also keeps a huge value from overflowing below
  return std::max(RoundUpToInterval(static_cast<double>(v), interval), GearLo(interval));
}

}  // namespace autoscale
