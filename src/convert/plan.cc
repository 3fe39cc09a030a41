#include "convert/plan.h"

#include <algorithm>
#include <filesystem>

namespace autoscale {
namespace {

const char* RuntimeCall(const InputShape& shape) {
  if (shape.IsStatic()) return "";
  if (shape.BatchDynamic() && !shape.HwDynamic()) return "aclmdlSetDynamicBatchSize";
  if (!shape.BatchDynamic() && shape.HeightDynamic() && shape.WidthDynamic()) {
    return "aclmdlSetDynamicHWSize";
  }
  return "aclmdlSetInputDynamicDims";
}

// The shape a file is compiled with: the user's, with every dynamic dim
// pinned that has one value in all of the file's gears (a converter then
// sees exactly what varies).
InputShape CompiledShape(const InputShape& user, const std::vector<FullShape>& gears) {
  InputShape shape = user;
  for (int d = 0; d < 4; ++d) {
    if (!user.IsDynamic(static_cast<Dim>(d)) || gears.empty()) continue;
    const int64_t first = gears.front()[d];
    const bool same =
        std::all_of(gears.begin(), gears.end(), [&](const FullShape& g) { return g[d] == first; });
    if (same) shape.dims[d] = first;
  }
  return shape;
}

Result<std::vector<FullShape>> HwShapes(const InputShape& shape, int64_t batch,
                                        const std::vector<HwGear>& hw) {
  if (hw.empty()) {
    return Status::Error("input shape " + shape.ToString() +
                         " has a dynamic H or W but no (h, w) gears");
  }
  std::vector<FullShape> shapes;
  for (const auto& [h, w] : hw) {
    if ((!shape.HeightDynamic() && h != shape.dims[kH]) ||
        (!shape.WidthDynamic() && w != shape.dims[kW])) {
      return Status::Error("gear " + std::to_string(h) + "x" + std::to_string(w) +
                           " does not keep the fixed dims of input shape " + shape.ToString());
    }
    if (h <= 0 || w <= 0) {
      return Status::Error("gear " + std::to_string(h) + "x" + std::to_string(w) +
                           " is not positive");
    }
    shapes.push_back({batch, shape.dims[kC], h, w});
  }
  std::sort(shapes.begin(), shapes.end());
  shapes.erase(std::unique(shapes.begin(), shapes.end()), shapes.end());
  return shapes;
}

PlannedModel MakeModel(const std::string& stem, const std::string& mode, const InputShape& user,
                       std::vector<FullShape> gears) {
  PlannedModel m;
  m.name = stem + "_" + mode;
  m.mode = mode;
  m.shape = CompiledShape(user, gears);
  m.gears = std::move(gears);
  m.runtime_call = RuntimeCall(m.shape);
  return m;
}

nlohmann::json ShapeList(const std::vector<FullShape>& shapes) {
  nlohmann::json list = nlohmann::json::array();
  for (const FullShape& s : shapes) list.push_back({s[0], s[1], s[2], s[3]});
  return list;
}

}  // namespace

Result<Plan> MakePlan(const std::string& model_path, const std::string& input_name,
                      const InputShape& shape, const GearSet& gears) {
  Plan plan;
  plan.model_path = model_path;
  plan.stem = std::filesystem::path(model_path).stem().string();
  if (plan.stem.empty()) return Status::Error("plan: " + model_path + " has no file name");
  plan.input_name = input_name;
  plan.shape = shape;
  for (int64_t d : shape.dims) {
    if (d == 0 || d < -1)
      return Status::Error("plan: input shape " + shape.ToString() + " is not valid");
  }
  if (shape.IsDynamic(kC))
    return Status::Error("plan: input shape " + shape.ToString() + ": C cannot be dynamic");

  if (shape.IsStatic()) {
    plan.models.push_back(MakeModel(plan.stem, "static", shape, {shape.dims}));
    return plan;
  }
  if (shape.BatchDynamic()) {
    if (gears.batch.empty()) {
      return Status::Error("plan: input shape " + shape.ToString() +
                           " has a dynamic N but no batch gears");
    }
    for (int64_t b : gears.batch) {
      if (b < 1) return Status::Error("plan: batch gear " + std::to_string(b) + " is not positive");
    }
  }
  if (!shape.HwDynamic()) {
    std::vector<FullShape> shapes;
    for (int64_t b : gears.batch)
      shapes.push_back({b, shape.dims[kC], shape.dims[kH], shape.dims[kW]});
    std::sort(shapes.begin(), shapes.end());
    shapes.erase(std::unique(shapes.begin(), shapes.end()), shapes.end());
    plan.models.push_back(MakeModel(plan.stem, "dynamic_bs", shape, std::move(shapes)));
    return plan;
  }
  if (!shape.BatchDynamic()) {
    auto shapes = HwShapes(shape, shape.dims[kN], gears.hw);
    if (!shapes.ok()) return shapes.status().WithContext("plan");
    plan.models.push_back(MakeModel(plan.stem, "dynamic_hw", shape, std::move(*shapes)));
    return plan;
  }
  std::vector<int64_t> batches = gears.batch;
  std::sort(batches.begin(), batches.end());
  batches.erase(std::unique(batches.begin(), batches.end()), batches.end());
  for (int64_t b : batches) {
    auto shapes = HwShapes(shape, b, gears.HwFor(b));
    if (!shapes.ok()) return shapes.status().WithContext("plan: batch gear " + std::to_string(b));
    InputShape per_batch = shape;
    per_batch.dims[kN] = b;
    plan.models.push_back(MakeModel(plan.stem, "dynamic_bs" + std::to_string(b) + "_hw", per_batch,
                                    std::move(*shapes)));
  }
  return plan;
}

nlohmann::json Plan::ToJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const PlannedModel& m : models) {
    list.push_back({{"name", m.name},
                    {"mode", m.mode},
                    {"input_shape", m.shape.ToString()},
                    {"gears", ShapeList(m.gears)},
                    {"runtime_call", m.runtime_call}});
  }
  return {{"model", model_path},
          {"stem", stem},
          {"input_name", input_name},
          {"input_shape", shape.ToString()},
          {"models", list}};
}

std::string RuntimeCallFor(const PlannedModel& model, const std::string& backend,
                           const std::string& atc_mode) {
  if (model.shape.IsStatic()) return "";
  if (backend == "atc")
    return atc_mode == "dims" ? "aclmdlSetInputDynamicDims" : RuntimeCall(model.shape);
  if (backend == "lite") return "Model::Resize";
  if (backend == "onnx") return "symbolic_dims";
  if (backend == "trt") return "IExecutionContext::setOptimizationProfileAsync";
  if (backend == "rknn") return "rknn_set_input_shapes";
  if (backend == "openvino") return "static_file";
  return model.runtime_call;
}

void SetRuntimeCalls(Plan* plan, const std::string& backend, const std::string& atc_mode) {
  for (PlannedModel& m : plan->models) m.runtime_call = RuntimeCallFor(m, backend, atc_mode);
}

nlohmann::json Plan::ScalingDataJson() const {
  nlohmann::json out = nlohmann::json::object();
  int count = 0;
  for (const PlannedModel& m : models) {
    if (m.mode == "static") continue;
    out["dyn_input" + std::to_string(++count)] = ShapeList(m.gears);
  }
  return out;
}

}  // namespace autoscale
