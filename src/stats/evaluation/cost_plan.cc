#include "stats/evaluation/cost_plan.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "stats/core/gear_limits.h"

namespace autoscale {

std::vector<int64_t> GeometricSubset(const std::vector<int64_t>& values, size_t count) {
  if (values.size() <= count || count == 0) return values;
  if (count == 1) return {values.back()};
  const double lo = static_cast<double>(std::max<int64_t>(values.front(), 1));
  const double hi = static_cast<double>(values.back());
  std::vector<int64_t> out;
  size_t next = 0;  // the first value not taken yet
  for (size_t i = 0; i < count; ++i) {
    const double target = lo * std::pow(hi / lo, static_cast<double>(i) / (count - 1));
    size_t at =
        static_cast<size_t>(std::lower_bound(values.begin(), values.end(),
                                             static_cast<int64_t>(std::ceil(target - 1e-9))) -
                            values.begin());
    // Not a value taken already, and room left for the ones still to come.
    at = std::min(std::max(at, next), values.size() - (count - i));
    out.push_back(values[at]);
    next = at + 1;
  }
  return out;
}

namespace {

// The candidate gears of dim `d`.
std::vector<int64_t> DimValues(Dim d, const Profile* profile, const InputShape& shape,
                               const ScalingConfig& config) {
  if (!shape.IsDynamic(d)) return {shape.dims[d]};
  std::set<int64_t> gears;
  const GearBounds bounds = GearBoundsFor(d, shape, config);
  auto add = [&](int64_t v) {
    const int64_t g = bounds.GearFor(v, config.interval);
    gears.insert(g > 0 ? g : bounds.GearHi(config.interval));
  };
  if (profile) {
    for (const auto& [key, n] : profile->samples()) add(d == kH ? key.h : key.w);
  } else {
    for (int64_t v : d == kH ? config.default_scaling.height : config.default_scaling.width) add(v);
  }
  return GeometricSubset({gears.begin(), gears.end()}, kCostPlanValuesPerDim);
}

}  // namespace

std::vector<runtime::CallShape> CostPlanShapes(const Profile* profile, const InputShape& shape,
                                               const ScalingConfig& config) {
  std::vector<int64_t> batches;
  if (!shape.BatchDynamic()) {
    batches = {shape.dims[kN]};
  } else if (config.optimal_batch_candidates == "any") {
    for (int64_t b = 1; b <= kMaxBatchGear; b *= 2) batches.push_back(b);
  } else {
    batches = config.batch_choices;
  }
  std::sort(batches.begin(), batches.end());
  const std::vector<int64_t> heights = DimValues(kH, profile, shape, config);
  const std::vector<int64_t> widths = DimValues(kW, profile, shape, config);
  std::vector<runtime::CallShape> shapes;
  for (int64_t b : batches)
    for (int64_t h : heights)
      for (int64_t w : widths) shapes.push_back({b, h, w});
  return shapes;
}

}  // namespace autoscale
