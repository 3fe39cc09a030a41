#include "convert/external_backend.h"

#include <filesystem>

#include <map>

#include "common/atomic_file.h"
#include "convert/ascend_gear_rules.h"
#include "convert/converter_args.h"
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

std::string CommandOutputBase(const ConvertOptions& options, const PlannedModel& model) {
  return options.dry_run ? model.name : ModelOutputBase(options, model);
}

// `path` absolute with symlinks resolved where they exist.
static fs::path Identity(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path, ec).lexically_normal() : p;
}

std::string CommandModelPath(const Plan& plan, const ConvertOptions& options) {
  if (!options.dry_run) return plan.model_path;
  if (options.copy_model) return fs::path(plan.model_path).filename().string();
  return Identity(plan.model_path).lexically_relative(Identity(options.output_path)).string();
}

std::string CommandUserFile(const ConvertOptions& options, const std::string& path) {
  return options.dry_run ? fs::path(path).filename().string() : path;
}

// Copies `from` to <output_path>/<its name> unless it is that file already.
static Status CopyInto(const std::string& from, const ConvertOptions& options) {
  const std::string to = (fs::path(options.output_path) / fs::path(from).filename()).string();
  if (Identity(from) == Identity(to)) return Status::Ok();
  Result<std::string> text = ReadFile(from);
  if (!text.ok()) return text.status();
  return WriteFileAtomic(to, *text);
}

Status CopyDryRunInputs(const Plan& plan, const ConvertOptions& options) {
  if (!options.dry_run) return Status::Ok();
  std::error_code ec;
  fs::create_directories(options.output_path, ec);  // else the copy says why
  std::vector<std::string> files = ConverterFiles(options);
  if (options.copy_model) files.insert(files.begin(), plan.model_path);
  std::map<std::string, std::string> by_name;
  for (const std::string& file : files) {
    const std::string name = fs::path(file).filename().string();
    auto [it, fresh] = by_name.emplace(name, file);
    if (!fresh && Identity(it->second) != Identity(file))
      return Status::Error(file + " and " + it->second + " would both be copied as " + name +
                           " beside convert.sh; rename one");
    if (!fresh) continue;
    Status s = CopyInto(file, options);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

std::string ModelLogPath(const ConvertOptions& options, const PlannedModel& model) {
  return (fs::path(options.output_path) / "logs" / (model.name + ".log")).string();
}

ExternalJob ModelJob(const ConvertOptions& options, const PlannedModel& model,
                     std::vector<std::string> argv, const std::string& extension) {
  ExternalJob job;
  job.name = model.name;
  job.argv = std::move(argv);
  job.log_path = ModelLogPath(options, model);
  job.output.path = ModelOutputBase(options, model) + extension;
  return job;
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
  if (options.dry_run) {
    // convert.sh runs in its own folder: a relative path to the binary is
    // made absolute; a bare name stays one, looked up on PATH where it runs.
    const std::string word = ScriptBinary(binary);
    if (word.find('/') == std::string::npos || fs::path(word).is_absolute()) return word;
    std::error_code ec;
    return fs::absolute(word, ec).lexically_normal().string();
  }
  return FindConverter(binary);
}

// Each outcome's command: the argument vector of its job.
static std::vector<ModelOutcome> WithCommands(std::vector<ModelOutcome> outcomes,
                                              const std::vector<ExternalJob>& jobs) {
  for (ModelOutcome& outcome : outcomes)
    for (const ExternalJob& job : jobs)
      if (job.name == outcome.name) outcome.command = job.argv;
  return outcomes;
}

std::vector<ModelOutcome> RunOrWriteScript(const std::vector<ExternalJob>& jobs,
                                           const ConvertOptions& options) {
  if (!options.dry_run)
    return WithCommands(RunExternalJobs(jobs, RunnerOptionsFrom(options)), jobs);
  Result<std::vector<ModelOutcome>> outcomes = WriteDryRun(options.output_path, jobs);
  if (outcomes.ok()) return WithCommands(std::move(outcomes).value(), jobs);
  std::vector<ModelOutcome> failed;
  for (const ExternalJob& job : jobs) failed.push_back(Failed(job.name, outcomes.message()));
  return WithCommands(std::move(failed), jobs);
}

std::vector<ModelOutcome> FailEveryModel(const Plan& plan, const std::string& error) {
  std::vector<ModelOutcome> outcomes;
  for (const PlannedModel& model : plan.models) outcomes.push_back(Failed(model.name, error));
  return outcomes;
}

}  // namespace autoscale
