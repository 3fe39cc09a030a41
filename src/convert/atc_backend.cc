#include "convert/atc_backend.h"

#include "convert/ascend_gear_rules.h"
#include "convert/external_backend.h"

namespace autoscale {

namespace {

ConverterBinary AtcBinary(const ConvertOptions& options) {
  return {"atc", options.atc_path, "--atc_path",
          "install the Ascend CANN toolkit and source its set_env.sh"};
}

// Profiles as ATC writes them: values joined by ',' within a profile and
// profiles by `separator` ("1,2,4" for batch sizes, "48,320;48,640" else).
std::string ProfileList(const std::vector<std::vector<int64_t>>& profiles, char separator) {
  std::string text;
  for (const std::vector<int64_t>& profile : profiles) {
    if (!text.empty()) text += separator;
    for (size_t i = 0; i < profile.size(); ++i) {
      if (i > 0) text += ',';
      text += std::to_string(profile[i]);
    }
  }
  return text;
}

class AtcBackend : public Backend {
 public:
  Status Validate(const Plan& plan, const ConvertOptions& options) const override {
    if (options.soc_version.empty()) return Status::Error("--soc_version is empty");
    return ValidateExternal(plan, options, AtcBinary(options));
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> binary = ConverterArgv0(options, AtcBinary(options));
    if (!binary.ok()) return FailEveryModel(plan, binary.message());
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      ExternalJob job;
      job.name = model.name;
      job.argv = AtcCommand(plan, model, options, *binary);
      job.log_path = ModelLogPath(options, model);
      job.output.path = ModelOutputBase(options, model) + ".om";
      job.output.allow_platform_suffix = true;
      job.output.magic = ModelFileMagic(".om");
      jobs.push_back(std::move(job));
    }
    return RunOrWriteScript(jobs, options);
  }
};

}  // namespace

std::vector<std::string> AtcCommand(const Plan& plan, const PlannedModel& model,
                                    const ConvertOptions& options, const std::string& binary) {
  const std::vector<Dim> dynamic = DynamicDims(model.shape);
  const std::vector<std::vector<int64_t>> profiles = GearProfiles(model.gears, dynamic);
  std::string format = "NCHW";
  std::string dynamic_option;
  if (dynamic == std::vector<Dim>{kN}) {
    dynamic_option = "--dynamic_batch_size=" + ProfileList(profiles, ',');
  } else if (dynamic == std::vector<Dim>{kH, kW}) {
    dynamic_option = "--dynamic_image_size=" + ProfileList(profiles, ';');
  } else if (!dynamic.empty()) {
    // ATC only takes the other patterns as plain dims, which need ND.
    format = "ND";
    dynamic_option = "--dynamic_dims=" + ProfileList(profiles, ';');
  }
  std::vector<std::string> argv = {
      binary,
      "--model=" + plan.model_path,
      "--framework=5",
      "--output=" + ModelOutputBase(options, model),
      "--soc_version=" + options.soc_version,
      "--input_shape=" + plan.input_name + ":" + model.shape.ToString(),
      "--input_format=" + format,
  };
  if (!dynamic_option.empty()) argv.push_back(dynamic_option);
  return argv;
}

std::unique_ptr<Backend> MakeAtcBackend() { return std::make_unique<AtcBackend>(); }

}  // namespace autoscale
