// A gear set read from a file, to be judged on a dataset (`--gears FILE`)
// instead of chosen. Three layouts are read, told apart by their content:
//   - a conversion's gears.json ({"input_shape", "models": [...], ...});
//   - MindOCR's scaling_data.json ({"dyn_input1": [[n, c, h, w], ...], ...});
//   - a short YAML or JSON list: either shapes [[n, c, h, w], ...], or a
//     mapping like the `gears` of the stats JSON:
//       batch_size: [1, 8]        # required when N is dynamic
//       hw: [[48, 320], [48, 640]]  # or height: [...] and width: [...], a grid
//       hw_per_batch: {8: [[48, 320]]}  # optional: a batch model's own (h, w)
// Every shape must agree with the input shape's fixed dims.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "runtime/cost_model.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"

namespace autoscale {

struct GearsFromFile {
  std::string format;  // "gears.json", "scaling_data.json" or "list"
  GearSet gears;
};

// Reads `path`. A gears.json must have been made for `shape`, with H and W
// dynamic for `limit_side_len`, and with the cost model `cost` (its runtime
// routes with the cost model it holds, so the evaluation must price and
// route with the same). Errors name the file (and the line or key).
Result<GearsFromFile> LoadGearsFile(const std::string& path, const InputShape& shape,
                                    int64_t limit_side_len, const runtime::CostModel& cost);

}  // namespace autoscale
