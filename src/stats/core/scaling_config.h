// The `auto_scaling` configuration: MindOCR's keys with their meaning and
// defaults, plus this project's own. pipeline/config_yaml.h reads it from
// YAML and `--set key=value`; every key is known, typed and range-checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "runtime/cost_model.h"

namespace autoscale {

struct DefaultScaling {
  // Batch gears when there is no dataset. Default: MindOCR's [1, 4, 8, 16, 32].
  std::vector<int64_t> batch_size{1, 4, 8, 16, 32};
  // Height gears when there is no dataset. Default: 32..640 step 32.
  std::vector<int64_t> height;
  // Width gears when there is no dataset. Default: 64..960 step 32.
  std::vector<int64_t> width;
  DefaultScaling();
};

struct ScalingConfig {
  // Which strategy picks the gears: "mean_std", "max_min" or "optimal".
  // Default: "optimal".
  std::string strategy = "optimal";
  // mean_std.n_std: the range is mean +- n_std standard deviations. Default 3.
  double n_std = 3.0;
  // max_min.expand_ratio: the [min, max] range grows by this share of its
  // width, half on each side. Default 0.2.
  double expand_ratio = 0.2;
  // limit_side_len: with H and W dynamic, images are scaled so that their long
  // side is at most this. Default 1280.
  int64_t limit_side_len = 1280;
  // width_range / height_range: gears are clipped to [lo, hi]. Default [1, 8192].
  int64_t width_min = 1, width_max = 8192;
  int64_t height_min = 1, height_max = 8192;
  // interval: every h/w gear is a multiple of this. Default 32.
  int64_t interval = 32;
  // max_scaling_num: the most h/w gears per model (for two dims, the most
  // (h, w) pairs). Never more than 100 whatever is set. Default 100.
  int64_t max_scaling_num = 100;
  // batch_choices: the candidate batch gears. Default [1, 4, 8, 16, 32, 64].
  std::vector<int64_t> batch_choices{1, 4, 8, 16, 32, 64};
  // default_scaling: the gears used when no dataset is given.
  DefaultScaling default_scaling;

  // optimal.coverage: share of samples that must fit a gear without being
  // shrunk. Default 1.0.
  double optimal_coverage = 1.0;
  // optimal.batch_candidates: "choices" (batch_choices) or "any" (1..2048).
  // Default "choices".
  std::string optimal_batch_candidates = "choices";
  // optimal.max_batch_num: the most batch gears; 0 means the number of
  // batch_choices. Default 0.
  int64_t optimal_max_batch_num = 0;

  // cost.call_overhead: the fixed cost of one model call, in input pixels,
  // for the pixel cost model (call_overhead + n*h*w). Default
  // runtime::kDefaultCallOverhead (15360, one 48x320 crop).
  double cost_call_overhead = runtime::kDefaultCallOverhead;
  // cost.table: a CSV of measured call costs (batch,height,width,ms; see
  // runtime/cost_table.h); when set, costs are in ms and call_overhead is
  // not used. Relative to the config file that names it, else to the
  // working folder. Default "" (the pixel model).
  std::string cost_table;
  // The rows read from cost_table (the pipeline reads the file).
  std::vector<runtime::CostRow> cost_rows;

  // onnx.static_per_gear: the onnx backend also writes one fully static model
  // per gear. Default false.
  bool onnx_static_per_gear = false;

  // trt.profiles: the trt backend's optimization profiles, "exact" (min =
  // opt = max = the gear) or "ranges" (each covers the sizes its gear
  // serves). Default "exact".
  std::string trt_profiles = "exact";
  // trt.args: extra trtexec arguments ("--fp16", ...). Default none.
  std::vector<std::string> trt_args;
  // rknn.target_platform: rknn-toolkit2's target_platform. Default "rk3588".
  std::string rknn_target_platform = "rk3588";
  // rknn.config: extra keyword arguments of RKNN.config(), a JSON object of
  // numbers, booleans, strings and lists of them. Default none.
  nlohmann::json rknn_config = nlohmann::json::object();
};

// Checks cross-key constraints (ranges ordered, positive interval, cost
// rows enough for a fit, ...).
Status ValidateConfig(const ScalingConfig& config);

// The cost model the config describes: the table's when cost_rows are set
// (they must pass ValidateConfig), else pixels with cost_call_overhead.
runtime::CostModel CostModelOf(const ScalingConfig& config);

}  // namespace autoscale
