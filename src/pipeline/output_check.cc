#include "pipeline/output_check.h"

#include <filesystem>

#include "common/atomic_file.h"
#include "convert/output_set.h"

namespace autoscale {

std::vector<PathUse> PathUsesOf(const PipelineOptions& p, const ConvertOptions* convert,
                                const std::string& job) {
  const auto label = [&job](const std::string& key) {
    return job.empty() ? "--" + key : "job '" + job + "' " + key;
  };
  using Kind = PathUse::Kind;
  std::vector<PathUse> uses;
  for (const std::string& path : DatasetPaths(p))
    uses.push_back({Kind::kInput, label("dataset_path"), path, job, {}, {}});
  for (const std::string& path : ProfilePaths(p))
    uses.push_back({Kind::kInput, label("profile"), path, job, {}, {}});
  uses.insert(uses.end(),
              {
                  {Kind::kInput, label("gears"), p.gears_path, job, {}, {}},
                  {Kind::kInput, label("config"), p.config_path, job, {}, {}},
                  {Kind::kInput, label("cost_table"), p.cost_table_path, job, {}, {}},
                  {Kind::kOutputFile, label("json"), p.json_path, job, {}, {}},
                  {Kind::kOutputFile, label("report"), p.report_path, job, {}, {}},
                  {Kind::kOutputFile, label("save_profile"), p.save_profile_path, job, {}, {}},
                  {Kind::kOutputFile, label("cost_plan"), p.cost_plan_path, job, {}, {}},
              });
  if (convert) {
    uses.push_back({Kind::kInput, label("model_path"), convert->model_path, job, {}, {}});
    // What a conversion writes in its folder: its models (named after the
    // model file's stem), gears.json, scaling_data.json, convert.sh, logs/,
    // and the lock, manifest and staging folder of convert/output_set.h.
    const std::string stem = std::filesystem::path(convert->model_path).stem().string();
    uses.push_back({Kind::kOutputFolder,
                    label("output_path"),
                    convert->output_path,
                    job,
                    {"gears.json", "scaling_data.json", "convert.sh", "logs", OutputSet::kLockName,
                     OutputSet::kManifestName},
                    {stem + "_", OutputSet::kStagingPrefix}});
  }
  return uses;
}

bool WritesToStdout(const PipelineOptions& p) {
  for (const std::string* path :
       {&p.json_path, &p.report_path, &p.save_profile_path, &p.cost_plan_path})
    if (IsStdoutPath(*path)) return true;
  return false;
}

Status CheckCommandPaths(const PipelineOptions& pipeline, const ConvertOptions* convert) {
  return CheckPathUses(PathUsesOf(pipeline, convert));
}

}  // namespace autoscale
