// The gears a deployment has: for each batch size, the (h, w) shapes a model
// of that batch accepts; and how to read them from a conversion's gears.json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/cost_model.h"
#include "runtime/model_space.h"

namespace autoscale {
namespace runtime {

// One (h, w) gear in model pixels.
struct Hw {
  int64_t h = 0;
  int64_t w = 0;
};

// The calls of one batch size: a fixed batch N is one BatchModel of batch N.
struct BatchModel {
  int64_t batch = 0;
  // The (h, w) gears, ascending by (h, w), no repeats. A fixed H/W is one gear.
  std::vector<Hw> hw;
  // The model file serving each gear (file[i] serves hw[i]); may be empty
  // for a table built in code.
  std::vector<std::string> file;
};

struct GearTable {
  std::vector<BatchModel> models;  // ascending by batch, one per batch
};

// Everything a conversion's gears.json tells the runtime.
struct GearsFile {
  // N, C, H, W of the source model; -1 = dynamic.
  InputDims input_shape{-1, -1, -1, -1};
  // "limit_side_len": the long-side cap when H and W are both dynamic;
  // default 0 (no cap).
  int64_t limit_side_len = 0;
  GearTable gears;
  // "cost": a CostModel JSON; default the pixel model with
  // kDefaultCallOverhead.
  CostModel cost = CostModel::Pixels();
};

// Parses gears.json:
//   {"input_shape": "N,C,H,W" or [N, C, H, W],
//    "models": [{"file": "...", "gears": [[n, c, h, w], ...], ...}, ...],
//    "cost": {...}, "limit_side_len": 960, ...}
// Each model's gears are grouped by n into batch models (a dynamic-batch
// model gives one batch model per n). Other keys are ignored. Errors name
// `path` and the key.
Result<GearsFile> ParseGearsJson(const std::string& text, const std::string& path);

// Reads and parses the file at `path`.
Result<GearsFile> LoadGearsJson(const std::string& path);

}  // namespace runtime
}  // namespace autoscale
