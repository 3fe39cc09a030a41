// A jobs file for `autoscale run`: several conversions (say the det, cls and
// rec models of one OCR system) described once in YAML, each job overriding
// shared defaults. Everything that can be checked without running a job is
// checked here, so a bad file fails with one line and nothing runs.
//
//   defaults:                  # any job option, shared by every job
//     output_path: out         # each job writes into out/<name>
//     auto_scaling: {strategy: optimal}
//   jobs:
//     - name: rec
//       model_path: models/rec.onnx
//       input_shape: -1,3,48,-1
//       auto_scaling: {width_range: [32, 2048]}   # applied after the defaults'
//
// Job options (snake_case or kebab-case): model_path, input_shape (text or a
// list), input_name, dataset_path (or data_path; a path or a list), dataset_type,
// profile (a path or a list), save_profile, config, json, report, threads,
// gears, holdout, seed, output_path, backend, soc_version, atc_path,
// lite_path, converter_jobs (the converter parallelism of one job,
// `convert -j`), timeout, dry_run, static_per_gear, atc_mode, atc_args
// (atc.args), lite_args (lite.args), lite_config (lite.config), copy_model,
// auto_scaling.
// Relative paths resolve against the jobs file's folder (atc_path and
// lite_path only when they contain a '/'; a bare name is looked up on PATH).
#pragma once

#include <string>
#include <vector>

#include "pipeline/stats_pipeline.h"
#include "common/status.h"
#include "convert/backend.h"

namespace autoscale {

struct Job {
  // The job's name: a safe folder name, unique in the file.
  std::string name;
  // 1-based line of the job's entry in the jobs file.
  int line = 0;
  // The pipeline options; yaml_overrides holds the defaults' then the job's
  // auto_scaling mapping, both with the jobs file as origin.
  PipelineOptions pipeline;
  // The convert options; output_path is the job's own folder
  // (<defaults output_path>/<name> unless the job sets output_path).
  ConvertOptions convert;
};

struct JobsFile {
  // The jobs file as given (used in messages).
  std::string path;
  // In file order; never empty.
  std::vector<Job> jobs;
};

// Parses and validates a jobs file's text; `path` names it in messages and its
// folder is the base of relative paths. Checks keys, types, names (present,
// safe, unique), model_path and input_shape (or profile) present, the
// auto_scaling keys, and that no two jobs write the same folder or file.
Result<JobsFile> ParseJobsFile(const std::string& text, const std::string& path);

// Reads `path` and parses it.
Result<JobsFile> LoadJobsFile(const std::string& path);

// The jobs named in `only` in file order (an entry may hold several names
// separated by commas); all jobs when `only` is empty. An unknown name is an
// error that lists the job names.
Result<std::vector<Job>> SelectJobs(const JobsFile& file, const std::vector<std::string>& only);

// Checks command-line `--set key=value` assignments on their own (key, type,
// range), so a mistake in one is reported once rather than per job.
Status CheckConfigOverrides(const std::vector<std::string>& assignments);

// Builds the job's ScalingConfig as the pipeline will (its config file or the
// built-in defaults, the jobs file's auto_scaling, then pipeline.overrides),
// so a bad or inconsistent key fails before any job runs. The error names the
// jobs file, the job and the key.
Status CheckJobConfig(const Job& job, const std::string& jobs_path);

}  // namespace autoscale
