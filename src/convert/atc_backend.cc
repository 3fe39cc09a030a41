#include "convert/atc_backend.h"

#include "convert/ascend_gear_rules.h"
#include "convert/converter_args.h"
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
    Status s = CheckConverterOptions(options);
    if (!s.ok()) return s;
    // --input_shape is "name:n,c,h,w" and separates inputs by ';'.
    s = CheckInputNameFor(plan.input_name, ":;,", "atc --input_shape (name:n,c,h,w;...)");
    if (!s.ok()) return s;
    for (const PlannedModel& model : plan.models) {
      if (!UsesDynamicDims(model, options)) continue;
      for (const std::string& arg : options.atc_args)
        if (SplitConverterArg(arg).name == "insert_op_conf")
          return Status::Error(model.name + ": atc takes --insert_op_conf (" + arg +
                               ") only without --dynamic_dims, which this model needs" +
                               (options.atc_mode == "dims" ? " with --atc_mode dims" : ""));
    }
    return ValidateExternal(plan, options, AtcBinary(options));
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> binary = ConverterArgv0(options, AtcBinary(options));
    if (!binary.ok()) return FailEveryModel(plan, binary.message());
    Status copied = CopyDryRunInputs(plan, options);
    if (!copied.ok()) return FailEveryModel(plan, copied.message());
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      ExternalJob job = ModelJob(options, model, AtcCommand(plan, model, options, *binary), ".om");
      job.output.allow_platform_suffix = true;
      job.output.magic = ModelFileMagic(".om");
      jobs.push_back(std::move(job));
    }
    return RunOrWriteScript(jobs, options);
  }
};

}  // namespace

bool UsesDynamicDims(const PlannedModel& model, const ConvertOptions& options) {
  const std::vector<Dim> dynamic = DynamicDims(model.shape);
  if (dynamic.empty()) return false;
  if (options.atc_mode == "dims") return true;
  return dynamic != std::vector<Dim>{kN} && dynamic != std::vector<Dim>{kH, kW};
}

std::vector<std::string> AtcCommand(const Plan& plan, const PlannedModel& model,
                                    const ConvertOptions& options, const std::string& binary) {
  const std::vector<Dim> dynamic = DynamicDims(model.shape);
  const std::vector<std::vector<int64_t>> profiles = GearProfiles(model.gears, dynamic);
  std::string format = "NCHW";
  std::string dynamic_option;
  if (UsesDynamicDims(model, options)) {
    // ATC takes the other patterns (and every one in dims mode, as MindOCR
    // converts) as plain dims, which need ND.
    format = "ND";
    dynamic_option = "--dynamic_dims=" + ProfileList(profiles, ';');
  } else if (dynamic == std::vector<Dim>{kN}) {
    dynamic_option = "--dynamic_batch_size=" + ProfileList(profiles, ',');
  } else if (dynamic == std::vector<Dim>{kH, kW}) {
    dynamic_option = "--dynamic_image_size=" + ProfileList(profiles, ';');
  }
  std::vector<std::string> argv = {
      binary,
      "--model=" + CommandModelPath(plan, options),
      "--framework=5",
      "--output=" + CommandOutputBase(options, model),
      "--soc_version=" + options.soc_version,
      "--input_shape=" + plan.input_name + ":" + model.shape.ToString(),
      "--input_format=" + format,
  };
  if (!dynamic_option.empty()) argv.push_back(dynamic_option);
  // The user's options last, files named as the command sees them.
  for (const std::string& arg : options.atc_args)
    argv.push_back(MapAtcArgFile(
        arg, [&options](const std::string& path) { return CommandUserFile(options, path); }));
  return argv;
}

std::unique_ptr<Backend> MakeAtcBackend() { return std::make_unique<AtcBackend>(); }

}  // namespace autoscale
