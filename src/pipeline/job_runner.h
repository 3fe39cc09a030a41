// Runs the jobs of a jobs file one after another or several at once, keeps
// going past a failed job, and summarises them as a table and as JSON.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/jobs_file.h"

namespace autoscale {

struct JobResult {
  std::string name;
  // The job's output folder.
  std::string output_path;
  bool ok = false;
  // One line, when not ok.
  std::string error;
  // Every file the job wrote, in the order written.
  std::vector<std::string> files;
  // Gear counts of the dynamic dims, in the order batch, height, width, hw
  // (the (h, w) pairs); empty for a static shape or when no gears were chosen.
  std::vector<std::pair<std::string, size_t>> gears;
  double seconds = 0;
  // The job's full convert report (ConvertReport::ToJson()); null when the
  // job failed before converting.
  nlohmann::json report;
};

// Runs one job; may throw (the runner reports it as that job's failure).
using JobFunction = std::function<JobResult(const Job&)>;

struct JobRunOptions {
  // Jobs running at once. Default 1 (one after another).
  int parallel = 1;
  // No start/finish lines. Default false.
  bool quiet = false;
};

// Runs every job through `run`; the results are in job order whatever the
// order they finished in. Each start and finish is one line on `log`.
std::vector<JobResult> RunJobs(const std::vector<Job>& jobs, const JobRunOptions& options,
                               const JobFunction& run, std::ostream& log);

// "batch 5, h 3, w 4, hw 12", or "-" without gears.
std::string GearCountsText(const JobResult& result);

// The table printed at the end: job, result, files, gears, time, and the
// error of a failed job; then a count line.
std::string ResultsTable(const std::vector<JobResult>& results);

// {"jobs_file", "ok", "counts": {"jobs", "ok", "failed"}, "jobs": [{"name",
// "ok", "error", "output_path", "files", "gears", "seconds", "report"}]}.
nlohmann::json ResultsJson(const std::vector<JobResult>& results, const std::string& jobs_path);

}  // namespace autoscale
