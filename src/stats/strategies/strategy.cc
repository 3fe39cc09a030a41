#include "stats/strategies/strategy.h"

#include <algorithm>

#include "common/names.h"
#include "stats/core/gear_limits.h"
#include "stats/strategies/range_strategies.h"
#include "stats/strategies/strategy_optimal.h"

namespace autoscale {

namespace {

std::vector<int64_t> SortedDistinct(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Status TooFew(const std::string& key, size_t got, const std::string& what) {
  return Status::Error("key '" + key + "': " + what + " needs at least 2 distinct values, got " +
                       std::to_string(got));
}

// Default gears are the user's own values: one off the model's stride is an
// error to fix in the config, not something to round silently.
Status CheckOnInterval(const std::vector<int64_t>& values, const std::string& key,
                       int64_t interval) {
  for (int64_t v : values)
    if (v <= 0 || v % interval != 0)
      return Status::Error("key '" + key + "': " + std::to_string(v) +
                           " is not a positive multiple of interval " + std::to_string(interval));
  return Status::Ok();
}

}  // namespace

const std::vector<StrategyEntry>& Strategies() {
  static const std::vector<StrategyEntry> kStrategies = {
      {"mean_std",
       [](const Profile& p, const InputShape& s, const ScalingConfig& c) {
         return RangeGears(RangeKind::kMeanStd, p, s, c);
       }},
      {"max_min",
       [](const Profile& p, const InputShape& s, const ScalingConfig& c) {
         return RangeGears(RangeKind::kMaxMin, p, s, c);
       }},
      {"optimal", OptimalGears},
  };
  return kStrategies;
}

std::vector<std::string> StrategyNames() {
  std::vector<std::string> names;
  for (const StrategyEntry& s : Strategies()) names.push_back(s.name);
  return names;
}

Result<GearSet> ComputeGears(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config, const std::string& strategy) {
  if (shape.IsStatic()) return GearSet{};
  const StrategyEntry* entry = nullptr;
  for (const StrategyEntry& s : Strategies())
    if (strategy == s.name) entry = &s;
  if (entry == nullptr) {
    return Status::Error("key 'strategy': unknown strategy '" + strategy + "' (expected one of " +
                         JoinNames(StrategyNames(), ", ") + ")");
  }
  Result<GearSet> gears = entry->compute(profile, shape, config);
  if (!gears.ok()) return gears.status().WithContext("strategy " + strategy);
  // Converters would reject (or silently misbuild) a set that breaks these,
  // so no strategy's result leaves here unchecked.
  Status s = CheckGearGuarantees(*gears, shape, config);
  if (!s.ok()) return s.WithContext("strategy " + strategy + " broke a guarantee");
  return gears;
}

Result<GearSet> DefaultGears(const InputShape& shape, const ScalingConfig& config) {
  GearSet g;
  if (shape.IsStatic()) return g;
  const DefaultScaling& d = config.default_scaling;
  if (shape.BatchDynamic()) {
    g.batch = SpreadSubset(SortedDistinct(d.batch_size), kMaxGearsPerModel);
    // With H/W dynamic too, each batch gear is a model of its own, so one
    // is enough; an N-only model needs two.
    const size_t need = shape.HwDynamic() ? 1 : 2;
    if (g.batch.size() < need)
      return need == 2 ? TooFew("default_scaling.batch_size", g.batch.size(), "a dynamic batch")
                       : Status::Error("key 'default_scaling.batch_size': must not be empty");
  }
  if (shape.HwDynamic()) {
    Status budget = CheckHwBudget(config);
    if (!budget.ok()) return budget;
    const int64_t limit = HwGearLimit(config);
    std::vector<int64_t> heights = SortedDistinct(d.height), widths = SortedDistinct(d.width);
    for (Status s : {shape.HeightDynamic()
                         ? CheckOnInterval(heights, "default_scaling.height", config.interval)
                         : Status::Ok(),
                     shape.WidthDynamic()
                         ? CheckOnInterval(widths, "default_scaling.width", config.interval)
                         : Status::Ok()})
      if (!s.ok()) return s;
    if (shape.HeightDynamic() && shape.WidthDynamic()) {
      // A sub-grid whose size fits the budget, each list keeping its ends.
      auto [num_h, num_w] = FitGrid(static_cast<int64_t>(heights.size()),
                                    static_cast<int64_t>(widths.size()), limit);
      heights = SpreadSubset(heights, num_h);
      widths = SpreadSubset(widths, num_w);
      if (heights.empty() || widths.empty() || heights.size() * widths.size() < 2)
        return Status::Error(
            "keys 'default_scaling.height' and 'default_scaling.width': a dynamic height and "
            "width need at least 2 (h, w) gears, got " +
            std::to_string(heights.size() * widths.size()));
    } else if (shape.HeightDynamic()) {
      heights = SpreadSubset(heights, limit);
      if (heights.size() < 2) return TooFew("default_scaling.height", heights.size(), "a dynamic height");
    } else {
      widths = SpreadSubset(widths, limit);
      if (widths.size() < 2) return TooFew("default_scaling.width", widths.size(), "a dynamic width");
    }
    g.hw = HwGrid(heights, widths, shape);
  }
  Normalize(&g, shape);
  return g;
}

}  // namespace autoscale
