#include "convert/lite_backend.h"

#include <filesystem>

#include "common/atomic_file.h"
#include "convert/ascend_gear_rules.h"
#include "convert/external_backend.h"

namespace autoscale {

namespace {

ConverterBinary LiteBinary(const ConvertOptions& options) {
  return {"converter_lite", options.lite_path, "--lite_path",
          "install MindSpore Lite's converter tool and set its LD_LIBRARY_PATH"};
}

// The dims the config file marks dynamic. Lite takes only N, or two of
// C/H/W with N fixed: a model with only H or only W dynamic is written with
// both dynamic, the other dim the same in every gear.
std::vector<Dim> LiteDynamicDims(const InputShape& shape) {
  std::vector<Dim> dims = DynamicDims(shape);
  if (dims == std::vector<Dim>{kH} || dims == std::vector<Dim>{kW}) return {kH, kW};
  return dims;
}

bool LiteAccepts(const InputShape& shape) {
  const std::vector<Dim> dims = LiteDynamicDims(shape);
  return dims.empty() || dims == std::vector<Dim>{kN} || dims == std::vector<Dim>{kH, kW};
}

std::string Bracketed(const std::vector<int64_t>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(values[i]);
  }
  return text + "]";
}

class LiteBackend : public Backend {
 public:
  Status Validate(const Plan& plan, const ConvertOptions& options) const override {
    for (const PlannedModel& model : plan.models)
      if (!LiteAccepts(model.shape))
        return Status::Error(model.name + ": input shape " + model.shape.ToString() +
                             ": MindSpore Lite accepts only N dynamic, or N fixed with H and W "
                             "dynamic; pin N or use --backend atc");
    return ValidateExternal(plan, options, LiteBinary(options));
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> binary = ConverterArgv0(options, LiteBinary(options));
    if (!binary.ok()) return FailEveryModel(plan, binary.message());
    std::error_code ec;
    std::filesystem::create_directories(options.output_path, ec);  // else the write below says why
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      const std::string config = LiteConfigPath(options, model);
      Status written = WriteFileAtomic(config, LiteConfigText(plan, model));
      if (!written.ok()) return FailEveryModel(plan, written.message());
      ExternalJob job;
      job.name = model.name;
      job.argv = LiteCommand(plan, model, options, *binary);
      job.log_path = ModelLogPath(options, model);
      job.output.path = ModelOutputBase(options, model) + ".mindir";
      job.output.magic = ModelFileMagic(".mindir");
      job.inputs.push_back(config);
      jobs.push_back(std::move(job));
    }
    return RunOrWriteScript(jobs, options);
  }
};

}  // namespace

std::string LiteConfigPath(const ConvertOptions& options, const PlannedModel& model) {
  return ModelOutputBase(options, model) + "_lite.cfg";
}

std::string LiteConfigText(const Plan& plan, const PlannedModel& model) {
  const std::vector<Dim> dynamic = LiteDynamicDims(model.shape);
  std::vector<int64_t> written(model.shape.dims.begin(), model.shape.dims.end());
  for (Dim d : dynamic) written[d] = -1;
  std::string text = "[ascend_context]\ninput_format=NCHW\ninput_shape=" + plan.input_name + ":" +
                     Bracketed(written) + "\n";
  if (dynamic.empty()) return text;
  std::string list;
  for (const std::vector<int64_t>& profile : GearProfiles(model.gears, dynamic)) {
    if (!list.empty()) list += ',';
    list += Bracketed(profile);
  }
  return text + "dynamic_dims=" + list + "\n";
}

std::vector<std::string> LiteCommand(const Plan& plan, const PlannedModel& model,
                                     const ConvertOptions& options, const std::string& binary) {
  return {binary,
          "--fmk=ONNX",
          "--modelFile=" + plan.model_path,
          "--outputFile=" + ModelOutputBase(options, model),
          "--configFile=" + LiteConfigPath(options, model),
          "--saveType=MINDIR",
          "--optimize=ascend_oriented"};
}

std::unique_ptr<Backend> MakeLiteBackend() { return std::make_unique<LiteBackend>(); }

}  // namespace autoscale
