#include "convert/openvino_backend.h"

#include <algorithm>
#include <filesystem>

#include "convert/backend_gear_limits.h"
#include "convert/external_backend.h"
#include "stats/core/gear_limits.h"

namespace autoscale {

namespace {

namespace fs = std::filesystem;

// Every gear is one conversion and two files: no more than any gear set
// autoscale chooses.
constexpr BackendGearLimits kOpenvinoLimits = {"the openvino backend", "static models",
                                               kMaxGearsPerModel, kMaxBatchGear};

ConverterBinary OvcBinary(const ConvertOptions& options) {
  return {"ovc", options.ovc_path, "--ovc_path",
          "install OpenVINO (pip install openvino) so that ovc is on PATH"};
}

std::string Dims(const FullShape& g) {
  return std::to_string(g[0]) + "x" + std::to_string(g[1]) + "x" + std::to_string(g[2]) + "x" +
         std::to_string(g[3]);
}

std::string BinPath(const std::string& xml) {
  return fs::path(xml).replace_extension(".bin").string();
}

std::string Relative(const std::string& path, const ConvertOptions& options) {
  const fs::path relative = fs::path(path).lexically_relative(options.output_path);
  if (relative.empty() || *relative.begin() == "..") return fs::path(path).filename().string();
  return relative.string();
}

class OpenvinoBackend : public Backend {
 public:
  Status Validate(const Plan& plan, const ConvertOptions& options) const override {
    const std::string& name = plan.input_name;
    if (name.find_first_of(",[] \t") != std::string::npos ||
        std::any_of(name.begin(), name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
      return Status::Error("input name '" + name +
                           "': ovc --input cannot hold a name with a comma, a bracket, a space "
                           "or a control character");
    for (const PlannedModel& model : plan.models) {
      Status status = CheckBackendGears(model, kOpenvinoLimits);
      if (!status.ok()) return status;
    }
    return ValidateExternalBinary(plan, options, OvcBinary(options));
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> binary = ConverterArgv0(options, OvcBinary(options));
    if (!binary.ok()) return FailEveryModel(plan, binary.message());
    Status copied = CopyDryRunInputs(plan, options);
    if (!copied.ok()) return FailEveryModel(plan, copied.message());
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      for (const FullShape& gear : model.gears) {
        ExternalJob job;
        job.name = model.name + "_" + Dims(gear);
        job.argv = OvcCommand(plan, model, gear, options, *binary);
        job.log_path = (fs::path(options.output_path) / "logs" / (job.name + ".log")).string();
        job.output.path = OpenvinoGearPath(options, model, gear);
        jobs.push_back(std::move(job));
      }
    }
    const std::vector<ModelOutcome> gear_outcomes = RunOrWriteScript(jobs, options);
    std::vector<ModelOutcome> outcomes;
    size_t next = 0;
    for (const PlannedModel& model : plan.models) {
      outcomes.push_back(Combine(model, gear_outcomes, &next, options));
    }
    return outcomes;
  }

 private:
  // One outcome for a model from those of its gears (in job order from
  // *next): ok when every gear is; a failed model leaves none of its files.
  static ModelOutcome Combine(const PlannedModel& model, const std::vector<ModelOutcome>& gears,
                              size_t* next, const ConvertOptions& options) {
    ModelOutcome outcome;
    outcome.name = model.name;
    outcome.ok = true;
    nlohmann::json files = nlohmann::json::array();
    std::vector<std::string> written;
    for (const FullShape& gear : model.gears) {
      const ModelOutcome& g = gears.at((*next)++);
      outcome.seconds += g.seconds;
      const std::string xml = OpenvinoGearPath(options, model, gear);
      if (!g.ok) {
        if (outcome.ok) {
          outcome.ok = false;
          outcome.error = "gear " + GearText(gear) + ": " + g.error;
          outcome.log_path = g.log_path;
          outcome.log_tail = g.log_tail;
        }
        continue;
      }
      written.push_back(xml);
      written.push_back(BinPath(xml));
      files.push_back(
          {{"file", Relative(xml, options)}, {"shape", {gear[0], gear[1], gear[2], gear[3]}}});
    }
    if (!outcome.ok) {
      if (!options.dry_run) {
        std::error_code ec;
        for (const std::string& path : written) fs::remove(path, ec);
      }
      return outcome;
    }
    outcome.files = written;
    outcome.gears_json = {{"static_files", files}};
    return outcome;
  }
};

}  // namespace

std::string OpenvinoGearPath(const ConvertOptions& options, const PlannedModel& model,
                             const FullShape& gear) {
  return ModelOutputBase(options, model) + "_" + Dims(gear) + ".xml";
}

std::vector<std::string> OvcCommand(const Plan& plan, const PlannedModel& model,
                                    const FullShape& gear, const ConvertOptions& options,
                                    const std::string& binary) {
  return {binary,           CommandModelPath(plan, options),
          "--input",        plan.input_name + GearText(gear),
          "--output_model", CommandOutputBase(options, model) + "_" + Dims(gear) + ".xml"};
}

std::unique_ptr<Backend> MakeOpenvinoBackend() { return std::make_unique<OpenvinoBackend>(); }

}  // namespace autoscale
