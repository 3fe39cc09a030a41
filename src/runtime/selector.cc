#include "runtime/selector.h"

namespace autoscale {
namespace runtime {

Selection Select(const Router& router, const InputDims& shape, int64_t limit_side_len,
                 SourceSize source) {
  Selection out;
  const Item mapped = MapToModelSpace(shape, limit_side_len, source.h, source.w);
  out.resized = router.Cover(mapped, &out.shrunk);
  bool found = false;
  const GearTable& table = router.gears();
  for (size_t m = 0; m < table.models.size(); ++m) {
    const int g = router.CheapestGear(m, out.resized.h, out.resized.w);
    if (g < 0) continue;
    const double cost = router.GearCost(m, static_cast<size_t>(g));
    if (found && !(cost < out.cost)) continue;
    found = true;
    out.model = static_cast<uint32_t>(m);
    out.batch = table.models[m].batch;
    out.gear_index = static_cast<uint32_t>(g);
    out.gear = table.models[m].hw[static_cast<size_t>(g)];
    out.cost = cost;
  }
  out.pad_bottom = out.gear.h - out.resized.h;
  out.pad_right = out.gear.w - out.resized.w;
  return out;
}

}  // namespace runtime
}  // namespace autoscale
