// Picks the call for ONE source image or crop: maps it to model space,
// chooses the cheapest batch model and gear holding it, and says how to
// resize and pad it into that gear.
#pragma once

#include <cstdint>

#include "runtime/gear_table.h"
#include "runtime/model_space.h"
#include "runtime/router.h"

namespace autoscale {
namespace runtime {

struct Selection {
  uint32_t model = 0;       // index into GearTable::models
  int64_t batch = 0;        // that model's batch
  uint32_t gear_index = 0;  // index into that model's hw
  Hw gear;                  // the call's input is batch x C x gear.h x gear.w
  // The input resized to this size, placed top-left in the gear.
  Item resized;
  int64_t pad_bottom = 0;  // gear.h - resized.h
  int64_t pad_right = 0;   // gear.w - resized.w
  // No gear holds the mapped size: it was clamped to the largest gear.
  bool shrunk = false;
  double cost = 0;  // the call's predicted cost
};

// The call for source size `source` under input shape `shape` and
// limit_side_len (MapToModelSpace), then Router::Cover; the cheapest gear of
// any model holding it (ties: the smaller batch, then as Router).
Selection Select(const Router& router, const InputDims& shape, int64_t limit_side_len,
                 SourceSize source);

}  // namespace runtime
}  // namespace autoscale
