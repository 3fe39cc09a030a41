// What a GearSet costs on a Profile (DESIGN step 5). A sample is served by
// the cheapest gear that holds it; a gear's compute is the product of its
// dims. A sample no gear holds is shrunk into the largest gear.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"
#include "stats/core/profile.h"
#include "stats/core/scaling_config.h"

namespace autoscale {

struct DimEvaluation {
  uint64_t samples = 0;
  // Share of samples that fit a gear unshrunk.
  double coverage = 0;
  // Compute of the gears serving the samples / compute of the samples - 1.
  double overhead = 0;
  // 1 - compute of the gears / compute of one static shape that fits every
  // sample (the largest sample rounded up to interval, limit_side_len capped).
  double saving_vs_static = 0;
  // The static shape that comparison used (per dim, or h*w for pairs).
  int64_t static_height = 0, static_width = 0;
};

struct BatchEvaluation {
  uint64_t images = 0;
  uint64_t boxes = 0;
  uint64_t slots = 0;  // batch slots run, padding included
  uint64_t runs = 0;   // model invocations
  double coverage = 0;  // share of images served by a single run
  double overhead = 0;  // slots / boxes - 1
  // 1 - slots / slots of one static batch size that serves every image in
  // one run (the largest box count, at most 2048).
  double saving_vs_static = 0;
};

struct Evaluation {
  std::optional<BatchEvaluation> batch;
  std::optional<DimEvaluation> height;  // H dynamic
  std::optional<DimEvaluation> width;   // W dynamic
  std::optional<DimEvaluation> hw;      // H or W dynamic: the (h, w) shapes
  nlohmann::json ToJson() const;
};

Evaluation Evaluate(const Profile& profile, const GearSet& gears, const InputShape& shape,
                    const ScalingConfig& config);

}  // namespace autoscale
