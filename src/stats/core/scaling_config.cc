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
  if (!c.cost_rows.empty()) {
    Status s =
        runtime::CheckFitRows(c.cost_rows, c.cost_table.empty() ? "cost.table" : c.cost_table);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

runtime::CostModel CostModelOf(const ScalingConfig& c) {
  if (!c.cost_rows.empty()) {
    auto table = runtime::CostModel::Table(c.cost_rows, c.cost_table);
    if (table.ok()) return *table;
  }
  return runtime::CostModel::Pixels(c.cost_call_overhead);
}

}  // namespace autoscale
