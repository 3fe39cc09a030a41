// What a GearSet costs on a Profile, in the cost model's unit: every routing
// unit of the profile (an image's boxes, an image folder) is split into calls
// by runtime::Router, the function inference runs, so the predicted cost is
// the cost of what the runtime will do. Against it: one static shape routed
// the same way.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/gear_table.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

// One gear (batch model x (h, w)) and what the routing ran on it.
struct GearCost {
  int64_t batch = 0;
  int64_t h = 0;
  int64_t w = 0;
  uint64_t runs = 0;     // calls made with this gear
  uint64_t samples = 0;  // the samples those calls serve
  double cost = 0;       // their total cost
};

struct CostEvaluation {
  std::string unit;     // "px" or "ms"
  double total = 0;     // the cost of every call over the dataset
  uint64_t calls = 0;   // model calls
  uint64_t images = 0;  // images routed (an image folder: its samples)
  uint64_t boxes = 0;   // samples routed (boxes, or an image folder's images)
  double per_image = 0;  // total / images
  double per_box = 0;    // total / boxes
  // Padded compute / served compute - 1: the sum over calls of b*h*w over
  // the sum of the samples' h*w (a shrunk one at its clamped size).
  double padding = 0;
  // 1 - total / static_total; static_total: the cost of StaticGearSet.
  double saving_vs_static = 0;
  double static_total = 0;
  double coverage = 0;  // share of samples served unshrunk
  uint64_t shrunk = 0;  // samples no gear holds, clamped to the largest
  // Every gear of the table, ascending by (batch, h, w), used or not.
  std::vector<GearCost> gears;
  // Per batch gear: the samples its calls serve, by (h, w) as routed (a
  // shrunk one at its clamped size).
  std::map<int64_t, std::map<std::pair<int64_t, int64_t>, uint64_t>> served;
};

// Per dim: how many samples a gear can hold unshrunk. The cost of serving
// them is CostEvaluation's.
struct DimEvaluation {
  uint64_t samples = 0;
  // Height / width: the share of samples whose side in that dim is at most
  // the largest gear's over every batch model; hw: the share some gear
  // holds in both (those the router serves unshrunk).
  double coverage = 0;
  // The static shape (per dim): the largest sample rounded up to interval,
  // limit_side_len capped; a fixed dim keeps the model's value.
  int64_t static_height = 0, static_width = 0;
};

struct Evaluation {
  CostEvaluation cost;
  std::optional<DimEvaluation> height;  // H dynamic
  std::optional<DimEvaluation> width;   // W dynamic
  std::optional<DimEvaluation> hw;      // H or W dynamic: the (h, w) shapes
  // {"cost": {...}, "gear_cost": [...], "height"/"width"/"hw": {"coverage",
  // "samples", "static_height"/"static_width"}} (README "JSON output").
  nlohmann::json ToJson() const;
};

// The gears as the runtime sees them: one batch model per batch gear (the
// model's N when fixed) with HwFor(b) as its (h, w) gears (the model's H, W
// when both are fixed).
runtime::GearTable GearTableOf(const GearSet& gears, const InputShape& shape);

// The one static shape savings are measured against: the batch of the
// largest box count (at most 2048; an image folder: the largest batch gear;
// a fixed N: N) and the largest sample rounded up to interval, capped at
// limit_side_len rounded up (a fixed dim: the model's value).
GearSet StaticGearSet(const Profile& profile, const GearSet& chosen, const InputShape& shape,
                      const ScalingConfig& config);

// Routes every unit of profile.RoutingUnits() on `gears` with the cost model
// of CostModelOf(config).
Evaluation Evaluate(const Profile& profile, const GearSet& gears, const InputShape& shape,
                    const ScalingConfig& config);

}  // namespace autoscale
