#include "convert/lite_backend.h"

#include <filesystem>

#include "common/atomic_file.h"
#include "convert/ascend_gear_rules.h"
#include "convert/converter_args.h"
#include "convert/external_backend.h"

namespace autoscale {

namespace {

ConverterBinary LiteBinary(const ConvertOptions& options) {
  return {"converter_lite", options.lite_path, "--lite_path",
          "install MindSpore Lite's converter tool and set its LD_LIBRARY_PATH"};
}

bool DimsMode(const ConvertOptions& options) { return options.atc_mode == "dims"; }

// The dims the config file marks dynamic. In native mode Lite takes only N,
// or two of C/H/W with N fixed: a model with only H or only W dynamic is
// written with both dynamic, the other dim the same in every gear. In dims
// mode (input_format=ND) every dynamic dim as it is.
std::vector<Dim> LiteDynamicDims(const InputShape& shape, const ConvertOptions& options) {
  std::vector<Dim> dims = DynamicDims(shape);
  if (DimsMode(options)) return dims;
  if (dims == std::vector<Dim>{kH} || dims == std::vector<Dim>{kW}) return {kH, kW};
  return dims;
}

bool LiteAccepts(const InputShape& shape, const ConvertOptions& options) {
  const std::vector<Dim> dims = LiteDynamicDims(shape, options);
  return DimsMode(options) || dims.empty() || dims == std::vector<Dim>{kN} ||
         dims == std::vector<Dim>{kH, kW};
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
    Status s = CheckConverterOptions(options);
    if (!s.ok()) return s;
    // input_shape=name:[n,c,h,w] separates inputs by ';' and ends at a
    // newline; '=' and brackets have meaning in the file too.
    s = CheckInputNameFor(plan.input_name,
                          ":;,[]=", "the converter_lite config (input_shape=name:[n,c,h,w];...)");
    if (!s.ok()) return s;
    for (const PlannedModel& model : plan.models)
      if (!LiteAccepts(model.shape, options))
        return Status::Error(model.name + ": input shape " + model.shape.ToString() +
                             ": MindSpore Lite accepts only N dynamic, or N fixed with H and W "
                             "dynamic; pin N, use --atc_mode dims or --backend atc");
    return ValidateExternal(plan, options, LiteBinary(options));
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> binary = ConverterArgv0(options, LiteBinary(options));
    if (!binary.ok()) return FailEveryModel(plan, binary.message());
    std::error_code ec;
    std::filesystem::create_directories(options.output_path, ec);  // else the write below says why
    Status copied = CopyDryRunInputs(plan, options);
    if (!copied.ok()) return FailEveryModel(plan, copied.message());
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      const std::string config = LiteConfigPath(options, model);
      Status written = WriteFileAtomic(config, LiteConfigText(plan, model, options));
      if (!written.ok()) return FailEveryModel(plan, written.message());
      ExternalJob job =
          ModelJob(options, model, LiteCommand(plan, model, options, *binary), ".mindir");
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

std::string CommandConfigPath(const ConvertOptions& options, const PlannedModel& model) {
  return CommandOutputBase(options, model) + "_lite.cfg";
}

std::string LiteConfigText(const Plan& plan, const PlannedModel& model) {
  return LiteConfigText(plan, model, ConvertOptions());
}

std::string LiteConfigText(const Plan& plan, const PlannedModel& model,
                           const ConvertOptions& options) {
  const std::vector<Dim> dynamic = LiteDynamicDims(model.shape, options);
  std::vector<int64_t> written(model.shape.dims.begin(), model.shape.dims.end());
  for (Dim d : dynamic) written[d] = -1;
  std::string text = std::string("[ascend_context]\ninput_format=") +
                     (DimsMode(options) && !dynamic.empty() ? "ND" : "NCHW") +
                     "\ninput_shape=" + plan.input_name + ":" + Bracketed(written) + "\n";
  if (!dynamic.empty()) {
    std::string list;
    for (const std::vector<int64_t>& profile : GearProfiles(model.gears, dynamic)) {
      if (!list.empty()) list += ',';
      list += Bracketed(profile);
    }
    text += "dynamic_dims=" + list + "\n";
  }
  // The user's entries (checked by CheckLiteConfig), [ascend_context] ones
  // in that section, the others in theirs, in the order given.
  const auto file = [&options](const std::string& path) { return CommandUserFile(options, path); };
  std::vector<std::string> sections = {"ascend_context"};
  std::vector<std::string> bodies = {""};
  for (const std::string& given : options.lite_config) {
    Result<ConfigEntry> e = SplitConfigEntry(MapLiteEntryFile(given, file));
    if (!e.ok()) continue;
    size_t i = 0;
    while (i < sections.size() && sections[i] != e->section) ++i;
    if (i == sections.size()) {
      sections.push_back(e->section);
      bodies.emplace_back();
    }
    bodies[i] += e->key + "=" + e->value + "\n";
  }
  text += bodies[0];
  for (size_t i = 1; i < sections.size(); ++i) text += "[" + sections[i] + "]\n" + bodies[i];
  return text;
}

std::vector<std::string> LiteCommand(const Plan& plan, const PlannedModel& model,
                                     const ConvertOptions& options, const std::string& binary) {
  std::vector<std::string> argv = {binary,
                                   "--fmk=ONNX",
                                   "--modelFile=" + CommandModelPath(plan, options),
                                   "--outputFile=" + CommandOutputBase(options, model),
                                   "--configFile=" + CommandConfigPath(options, model),
                                   "--saveType=MINDIR",
                                   "--optimize=ascend_oriented"};
  argv.insert(argv.end(), options.lite_args.begin(), options.lite_args.end());
  return argv;
}

std::unique_ptr<Backend> MakeLiteBackend() { return std::make_unique<LiteBackend>(); }

}  // namespace autoscale
