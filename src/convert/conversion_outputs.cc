#include "convert/conversion_outputs.h"

#include <algorithm>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/json_text.h"

namespace autoscale {
namespace {

namespace fs = std::filesystem;

std::string ModelExtension(const std::string& backend) {
  if (backend == "atc") return ".om";
  if (backend == "lite") return ".mindir";
  if (backend == "trt") return ".engine";
  if (backend == "rknn") return ".rknn";
  if (backend == "openvino") return ".xml";
  return ".onnx";
}

std::string RelativeFile(const ModelOutcome& outcome, const ConvertOptions& options) {
  if (outcome.files.empty()) return outcome.name + ModelExtension(options.backend);
  const fs::path file(outcome.files.front());
  const fs::path relative = file.lexically_relative(options.output_path);
  if (relative.empty() || *relative.begin() == "..") return file.filename().string();
  return relative.string();
}

// JSON with two-space indents in which an array of numbers stays on one
// line, so that each gear reads as [n, c, h, w].
void DumpReadable(const nlohmann::json& j, int indent, std::string* out) {
  const std::string pad(static_cast<size_t>(indent) + 2, ' ');
  const bool flat_array =
      j.is_array() &&
      std::all_of(j.begin(), j.end(), [](const nlohmann::json& e) { return e.is_primitive(); });
  if (j.empty() || flat_array || j.is_primitive()) {
    *out += JsonText(j);
    return;
  }
  *out += j.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    *out += (first ? "" : ",\n") + pad;
    first = false;
    if (j.is_object()) *out += JsonText(nlohmann::json(it.key())) + ": ";
    DumpReadable(*it, indent + 2, out);
  }
  *out += "\n" + std::string(static_cast<size_t>(indent), ' ') + (j.is_object() ? "}" : "]");
}

const ModelOutcome* FindOutcome(const std::vector<ModelOutcome>& outcomes,
                                const std::string& name) {
  for (const ModelOutcome& o : outcomes) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

}  // namespace

nlohmann::json GearsJson(const Plan& plan, const std::vector<ModelOutcome>& outcomes,
                         const ConvertOptions& options) {
  const nlohmann::json planned = plan.ToJson();
  nlohmann::json models = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  for (size_t i = 0; i < plan.models.size(); ++i) {
    const PlannedModel& m = plan.models[i];
    const ModelOutcome* outcome = FindOutcome(outcomes, m.name);
    if (outcome == nullptr || !outcome->ok) {
      failed.push_back(
          {{"name", m.name}, {"error", outcome ? outcome->error : std::string("not converted")}});
      continue;
    }
    const nlohmann::json& p = planned["models"][i];
    models.push_back({{"name", m.name},
                      {"file", RelativeFile(*outcome, options)},
                      {"mode", m.mode},
                      {"input_name", plan.input_name},
                      {"input_shape", p["input_shape"]},
                      {"gears", p["gears"]},
                      {"runtime_call", m.runtime_call}});
    for (const auto& [key, value] : outcome->gears_json.items()) models.back()[key] = value;
  }
  nlohmann::json j = {{"source_model", plan.model_path},
                      {"input_name", plan.input_name},
                      {"input_shape", plan.shape.ToString()},
                      {"limit_side_len", options.limit_side_len},
                      {"backend", options.backend},
                      {"atc_mode", options.atc_mode},
                      {"models", models},
                      {"failed", failed}};
  if (!options.cost_model.is_null()) j["cost"] = options.cost_model;
  return j;
}

Result<std::vector<std::string>> WriteConversionOutputs(const Plan& plan,
                                                        const std::vector<ModelOutcome>& outcomes,
                                                        const ConvertOptions& options) {
  std::vector<std::string> written;
  const std::string gears = (fs::path(options.output_path) / "gears.json").string();
  std::string text;
  DumpReadable(GearsJson(plan, outcomes, options), 0, &text);
  Status s = WriteFileAtomic(gears, text + "\n");
  if (!s.ok()) return s;
  written.push_back(gears);
  const nlohmann::json scaling = plan.ScalingDataJson();
  if (!scaling.empty()) {
    const std::string path = (fs::path(options.output_path) / "scaling_data.json").string();
    s = WriteFileAtomic(path, JsonText(scaling) + "\n");
    if (!s.ok()) return s;
    written.push_back(path);
  }
  return written;
}

}  // namespace autoscale
