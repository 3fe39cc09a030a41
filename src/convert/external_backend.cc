#include "convert/external_backend.h"

#include <filesystem>

#include "convert/ascend_gear_rules.h"
#include "convert/dry_run_script.h"

namespace autoscale {

namespace fs = std::filesystem;

static ModelOutcome Failed(const std::string& name, const std::string& error) {
  ModelOutcome outcome;
  outcome.name = name;
  outcome.error = error;
  return outcome;
}

std::string ModelOutputBase(const ConvertOptions& options, const PlannedModel& model) {
  return (fs::path(options.output_path) / model.name).string();
}

std::string ModelLogPath(const ConvertOptions& options, const PlannedModel& model) {
  return (fs::path(options.output_path) / "logs" / (model.name + ".log")).string();
}

Status ValidateExternal(const Plan& plan, const ConvertOptions& options,
                        const ConverterBinary& binary) {
  Status status = CheckRunnerOptions(options);
  if (!status.ok()) return status;
  if (plan.input_name.empty()) return Status::Error(plan.model_path + ": no input name to shape");
  for (const PlannedModel& model : plan.models) {
    status = CheckAscendGears(model);
    if (!status.ok()) return status;
  }
  if (options.dry_run) return Status::Ok();
  Result<std::string> found = FindConverter(binary);
  return found.ok() ? Status::Ok() : found.status();
}

Status ValidateExternalBinary(const Plan& plan, const ConvertOptions& options,
                              const ConverterBinary& binary) {
  Status status = CheckRunnerOptions(options);
  if (!status.ok()) return status;
  if (plan.input_name.empty()) return Status::Error(plan.model_path + ": no input name to shape");
  if (options.dry_run) return Status::Ok();
  Result<std::string> found = FindConverter(binary);
  return found.ok() ? Status::Ok() : found.status();
}

Result<std::string> ConverterArgv0(const ConvertOptions& options, const ConverterBinary& binary) {
  if (options.dry_run) return ScriptBinary(binary);
  return FindConverter(binary);
}

std::vector<ModelOutcome> RunOrWriteScript(const std::vector<ExternalJob>& jobs,
                                           const ConvertOptions& options) {
  if (!options.dry_run) return RunExternalJobs(jobs, RunnerOptionsFrom(options));
  Result<std::vector<ModelOutcome>> outcomes = WriteDryRun(options.output_path, jobs);
  if (outcomes.ok()) return std::move(outcomes).value();
  std::vector<ModelOutcome> failed;
  for (const ExternalJob& job : jobs) failed.push_back(Failed(job.name, outcomes.message()));
  return failed;
}

std::vector<ModelOutcome> FailEveryModel(const Plan& plan, const std::string& error) {
  std::vector<ModelOutcome> outcomes;
  for (const PlannedModel& model : plan.models) outcomes.push_back(Failed(model.name, error));
  return outcomes;
}

}  // namespace autoscale
