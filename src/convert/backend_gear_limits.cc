#include "convert/backend_gear_limits.h"

#include <set>
#include <string>

namespace autoscale {

namespace {

const char* const kDimNames[] = {"N", "C", "H", "W"};

}  // namespace

std::string GearText(const FullShape& gear) {
  return "[" + std::to_string(gear[0]) + "," + std::to_string(gear[1]) + "," +
         std::to_string(gear[2]) + "," + std::to_string(gear[3]) + "]";
}

Status CheckBackendGears(const PlannedModel& model, const BackendGearLimits& limits) {
  const int count = static_cast<int>(model.gears.size());
  if (count < 1) return Status::Error(model.name + ": no gears");
  if (count > limits.max_gears)
    return Status::Error(model.name + ": " + std::to_string(count) + " gears; " + limits.tool +
                         " takes at most " + std::to_string(limits.max_gears) + " " +
                         limits.gear_word + " per model: lower max_scaling_num or the batch gears");
  std::set<FullShape> seen;
  for (const FullShape& gear : model.gears) {
    for (int d = 0; d < 4; ++d) {
      const std::string where = model.name + ": gear " + GearText(gear) + ": " + kDimNames[d];
      if (gear[d] <= 0)
        return Status::Error(where + " is " + std::to_string(gear[d]) + ", not a positive integer");
      if (model.shape.dims[d] != -1 && gear[d] != model.shape.dims[d])
        return Status::Error(where + " is " + std::to_string(gear[d]) + " but the input shape " +
                             model.shape.ToString() + " pins it to " +
                             std::to_string(model.shape.dims[d]));
    }
    if (gear[kN] > limits.max_batch)
      return Status::Error(model.name + ": gear " + GearText(gear) + ": batch " +
                           std::to_string(gear[kN]) + " is above " + limits.tool + "'s limit of " +
                           std::to_string(limits.max_batch) + " here");
    if (!seen.insert(gear).second)
      return Status::Error(model.name + ": gear " + GearText(gear) + " appears twice");
  }
  return Status::Ok();
}

}  // namespace autoscale
