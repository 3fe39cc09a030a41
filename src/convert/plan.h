// Which model files a conversion emits, named as MindOCR
// names them, each with the full input shapes it must accept.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "stats/core/gear_set.h"
#include "stats/core/input_shape.h"

namespace autoscale {

using FullShape = std::array<int64_t, 4>;  // N, C, H, W

struct PlannedModel {
  // "<stem>_static", "<stem>_dynamic_bs", "<stem>_dynamic_hw",
  // "<stem>_dynamic_bs<N>_hw"; no extension.
  std::string name;
  // "static", "dynamic_bs", "dynamic_hw", "dynamic_bs<N>_hw".
  std::string mode;
  // The input shape this file is compiled with: -1 where the gears differ
  // (for dynamic_bs<N>_hw, N is pinned to the batch gear).
  InputShape shape;
  // Every full input shape the file accepts, ascending; one entry for static.
  std::vector<FullShape> gears;
  // The call that selects a gear at run time, "" for a static model.
  // MakePlan sets ATC's native one ("aclmdlSetDynamicBatchSize",
  // "aclmdlSetDynamicHWSize", "aclmdlSetInputDynamicDims"); SetRuntimeCalls
  // the one of the backend and mode used.
  std::string runtime_call;
};

struct Plan {
  std::string model_path;
  std::string stem;        // the model file's name without extension
  std::string input_name;  // the graph input being shaped
  InputShape shape;        // as the user gave it
  std::vector<PlannedModel> models;
  // {"model": ..., "input_name": ..., "input_shape": ..., "models": [...]}
  nlohmann::json ToJson() const;
  // MindOCR's scaling_data.json: {"dyn_input1": [[n,c,h,w], ...], ...}, one
  // entry per dynamic model in plan order.
  nlohmann::json ScalingDataJson() const;
};

// Plans the files for `gears` (ignored for a static shape).
Result<Plan> MakePlan(const std::string& model_path, const std::string& input_name,
                      const InputShape& shape, const GearSet& gears);

// The call a runtime makes to select one of `model`'s gears, "" when static:
//  atc, atc_mode native: aclmdlSetDynamicBatchSize (only N dynamic),
//    aclmdlSetDynamicHWSize (H and W dynamic, N fixed), else
//    aclmdlSetInputDynamicDims; atc_mode dims: always aclmdlSetInputDynamicDims;
//  lite: "Model::Resize" (MindSpore Lite, with the gear's full shape);
//  onnx: "symbolic_dims" (the dynamic dims are named in the graph and the
//    gears embedded in metadata_props autoscale.gears: run the gear's shape);
//  trt: "IExecutionContext::setOptimizationProfileAsync" (TensorRT: select
//    the gear's profile, then setInputShape with its shape; ONNX Runtime's
//    TensorRT provider does this itself from the trt_profile_* options);
//  rknn: "rknn_set_input_shapes" (RKNN runtime >= 1.5, the gear's shape);
//  openvino: "static_file" (one static IR per gear: load the gear's file).
// Other backends keep `model.runtime_call`.
std::string RuntimeCallFor(const PlannedModel& model, const std::string& backend,
                           const std::string& atc_mode);

// Sets every model's runtime_call with RuntimeCallFor.
void SetRuntimeCalls(Plan* plan, const std::string& backend, const std::string& atc_mode);

}  // namespace autoscale
