// The gear limits of the converters that take a list of shapes (TensorRT
// profiles, RKNN dynamic_input, one OpenVINO model per gear), checked before
// anything runs so that a gear set a converter would reject fails in a second
// with one line naming the model, the gear and the limit.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "convert/plan.h"

namespace autoscale {

struct BackendGearLimits {
  // The converter as a message names it ("TensorRT").
  const char* tool;
  // What one gear becomes for it ("optimization profiles").
  const char* gear_word;
  // The most gears one model may have.
  int max_gears;
  // The largest batch gear.
  int64_t max_batch;
};

// Checks `model` against `limits`: 1..max_gears gears, no two alike; every
// value a positive integer that keeps the dims the model's shape pins; batch
// at most max_batch.
Status CheckBackendGears(const PlannedModel& model, const BackendGearLimits& limits);

// "[1,3,48,320]"
std::string GearText(const FullShape& gear);

}  // namespace autoscale
