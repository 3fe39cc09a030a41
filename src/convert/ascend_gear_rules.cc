#include "convert/ascend_gear_rules.h"

#include <set>
#include <string>

namespace autoscale {

namespace {

const char* const kDimNames[] = {"N", "C", "H", "W"};

std::string GearText(const FullShape& gear) {
  return "[" + std::to_string(gear[0]) + "," + std::to_string(gear[1]) + "," +
         std::to_string(gear[2]) + "," + std::to_string(gear[3]) + "]";
}

// The checks that hold for every gear, static or dynamic.
Status CheckGearValues(const PlannedModel& model, const FullShape& gear) {
  for (int d = 0; d < 4; ++d) {
    const std::string where = model.name + ": gear " + GearText(gear) + ": " + kDimNames[d];
    if (gear[d] <= 0)
      return Status::Error(where + " is " + std::to_string(gear[d]) +
                           ", not a positive integer");
    if (model.shape.dims[d] != -1 && gear[d] != model.shape.dims[d])
      return Status::Error(where + " is " + std::to_string(gear[d]) + " but the input shape " +
                           model.shape.ToString() + " pins it to " +
                           std::to_string(model.shape.dims[d]));
  }
  if (gear[kN] > kMaxBatchGear)
    return Status::Error(model.name + ": gear " + GearText(gear) + ": batch " +
                         std::to_string(gear[kN]) + " is outside 1.." +
                         std::to_string(kMaxBatchGear));
  return Status::Ok();
}

}  // namespace

std::vector<Dim> DynamicDims(const InputShape& shape) {
  std::vector<Dim> dims;
  for (Dim d : {kN, kC, kH, kW})
    if (shape.IsDynamic(d)) dims.push_back(d);
  return dims;
}

std::vector<std::vector<int64_t>> GearProfiles(const std::vector<FullShape>& gears,
                                               const std::vector<Dim>& dims) {
  std::vector<std::vector<int64_t>> profiles;
  profiles.reserve(gears.size());
  for (const FullShape& gear : gears) {
    std::vector<int64_t> profile;
    for (Dim d : dims) profile.push_back(gear[d]);
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

Status CheckAscendGears(const PlannedModel& model) {
  for (int d = 0; d < 4; ++d)
    if (model.shape.dims[d] == 0 || model.shape.dims[d] < -1)
      return Status::Error(model.name + ": input shape " + model.shape.ToString() + ": " +
                           kDimNames[d] + " is not a positive integer or -1");
  const bool dynamic = !DynamicDims(model.shape).empty();
  const int count = static_cast<int>(model.gears.size());
  if (dynamic && (count < kAscendMinProfiles || count > kMaxGearsPerModel))
    return Status::Error(model.name + ": " + std::to_string(count) + " gear" +
                         (count == 1 ? "" : "s") + "; Ascend converters need " +
                         std::to_string(kAscendMinProfiles) + " to " +
                         std::to_string(kMaxGearsPerModel) + " for a dynamic input");
  if (!dynamic && count > 1)
    return Status::Error(model.name + ": " + std::to_string(count) +
                         " gears for a static input shape " + model.shape.ToString());
  if (model.shape.dims[kN] > kMaxBatchGear)
    return Status::Error(model.name + ": batch " + std::to_string(model.shape.dims[kN]) +
                         " is outside 1.." + std::to_string(kMaxBatchGear));
  std::set<FullShape> seen;
  for (const FullShape& gear : model.gears) {
    Status status = CheckGearValues(model, gear);
    if (!status.ok()) return status;
    if (!seen.insert(gear).second)
      return Status::Error(model.name + ": gear " + GearText(gear) +
                           " appears twice; Ascend converters reject duplicate profiles");
  }
  return Status::Ok();
}

}  // namespace autoscale
