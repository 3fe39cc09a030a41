// `autoscale run FILE.yaml`: the conversions of a jobs file, checked first,
// then run one after another or -j N at once, then a table of results.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "autoscale/command.h"
#include "autoscale/error_line.h"
#include "autoscale/convert_command.h"
#include "pipeline/convert_pipeline.h"
#include "pipeline/job_runner.h"
#include "pipeline/jobs_file.h"
#include "pipeline/output_check.h"
#include "common/atomic_file.h"
#include "common/interrupt.h"
#include "common/json_text.h"
#include "common/names.h"
#include "common/progress.h"

namespace autoscale {

namespace {

namespace fs = std::filesystem;

struct RunArgs {
  std::string jobs_path;
  bool dry_run = false;
  std::vector<std::string> only;
  int parallel = 1;
  std::vector<std::string> overrides;
  std::string json_path;
  bool quiet = false;
  // --backend: every job's backend, over the file's.
  std::string backend;
};

// Exit codes: 0 every job ok, 1 a job failed, 2 nothing ran (bad file or
// arguments).

std::vector<std::pair<std::string, size_t>> GearCounts(const PipelineResult& p) {
  std::vector<std::pair<std::string, size_t>> counts;
  if (p.shape.IsStatic()) return counts;
  if (p.shape.BatchDynamic()) counts.emplace_back("batch", p.gears.batch.size());
  if (p.shape.HeightDynamic()) counts.emplace_back("h", p.gears.height.size());
  if (p.shape.WidthDynamic()) counts.emplace_back("w", p.gears.width.size());
  if (p.shape.HeightDynamic() && p.shape.WidthDynamic())
    counts.emplace_back("hw", p.gears.hw.size());
  return counts;
}

// One job: the same conversion `autoscale convert` does with these options.
JobResult ConvertJob(const Job& job) {
  JobResult r;
  auto report = RunConvert(job.pipeline, job.convert);
  if (!report.ok()) {
    r.error = report.message();
    return r;
  }
  r.ok = report->ok();
  r.report = report->ToJson();
  r.gears = GearCounts(report->pipeline);
  // A dry run names the models it would write; only files on disk count.
  auto add_written = [&r](const std::vector<std::string>& files) {
    std::error_code ec;
    for (const std::string& f : files)
      if (fs::exists(f, ec)) r.files.push_back(f);
  };
  size_t failed = 0;
  for (const ModelOutcome& o : report->outcomes) {
    add_written(o.files);
    if (o.ok) continue;
    if (failed++ == 0) r.error = o.name + ": " + o.error;
  }
  add_written(report->output_files);
  if (failed > 1) r.error += " (and " + std::to_string(failed - 1) + " more models failed)";
  if (!r.ok && r.error.empty()) r.error = "no model planned";
  return r;
}

// Every check that needs no conversion, so a bad file or argument runs nothing.
Result<std::vector<Job>> PrepareJobs(const RunArgs& a) {
  auto file = LoadJobsFile(a.jobs_path);
  if (!file.ok()) return file.status();
  Status s = CheckConfigOverrides(a.overrides);
  if (!s.ok()) return s;
  if (!a.backend.empty()) {
    auto backend = MakeBackend(a.backend);
    if (!backend.ok()) return backend.status();
  }
  for (Job& job : file->jobs) {
    if (!a.backend.empty()) job.convert.backend = a.backend;
    job.pipeline.overrides.insert(job.pipeline.overrides.end(), a.overrides.begin(),
                                  a.overrides.end());
    job.convert.dry_run = job.convert.dry_run || a.dry_run;
    // Several readers drawing progress on one terminal would garble it.
    job.pipeline.quiet = a.quiet || a.parallel > 1;
    s = CheckJobConfig(job, a.jobs_path);
    if (!s.ok()) return s;
  }
  auto selected = SelectJobs(*file, a.only);
  if (!selected.ok()) return selected.status();
  // Every place a selected job or the run writes, checked together: no job
  // writes over an input, another job's files or the run's --json.
  std::vector<PathUse> uses = {{PathUse::Kind::kInput, "jobs file", a.jobs_path, "", {}, {}},
                               {PathUse::Kind::kOutputFile, "--json", a.json_path, "", {}, {}}};
  for (const Job& job : *selected) {
    auto job_uses = PathUsesOf(job.pipeline, &job.convert, job.name);
    uses.insert(uses.end(), job_uses.begin(), job_uses.end());
  }
  s = CheckPathUses(uses);
  if (!s.ok()) return s;
  return selected;
}

int Run(const RunArgs& a) {
  auto jobs = PrepareJobs(a);
  if (!jobs.ok()) {
    PrintErrorLine("autoscale run: ", jobs.message());
    return kExitUsage;
  }
  // One job at a time may draw a progress line; several would garble it.
  TerminalProgress progress;
  for (Job& job : *jobs) {
    job.pipeline.progress = &progress;
    job.convert.progress = job.pipeline.quiet ? nullptr : &progress;
  }
  JobRunOptions options;
  options.parallel = a.parallel;
  options.quiet = a.quiet;
  std::vector<JobResult> results = RunJobs(*jobs, options, ConvertJob, std::cerr);

  bool all_ok = true;
  for (const JobResult& r : results) {
    all_ok = all_ok && r.ok;
    if (!r.ok && a.quiet) PrintErrorLine("autoscale run: job '" + r.name + "': ", r.error);
  }
  // With the run's or a job's output on stdout ("-"), the table goes to stderr.
  bool stdout_taken = IsStdoutPath(a.json_path);
  for (const Job& job : *jobs) stdout_taken = stdout_taken || WritesToStdout(job.pipeline);
  if (!a.quiet) (stdout_taken ? std::cerr : std::cout) << ResultsTable(results) << std::flush;
  if (!a.json_path.empty()) {
    // A signal now lets the file be written whole, then exits 130/143.
    InterruptScope writing;
    Status s = WriteFileAtomic(a.json_path, JsonText(ResultsJson(results, a.jobs_path), 2) + "\n");
    if (!s.ok()) {
      PrintErrorLine("autoscale run: ", s.message());
      return kExitFailed;
    }
  }
  return all_ok ? kExitOk : kExitFailed;
}

}  // namespace

Command AddRunCommand(CLI::App* parent) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "run", "several conversions from one YAML jobs file (see configs/jobs.example.yaml)");
  cmd->add_option("FILE", args->jobs_path, "the jobs file: defaults: and a jobs: list")->required();
  cmd->add_flag("--dry-run,--dry_run", args->dry_run,
                "every job writes convert.sh and the converter config files, runs nothing");
  cmd->add_option("--only", args->only, "run only the named jobs (repeatable, or comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("-j,--jobs", args->parallel, "jobs run at once (default 1)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--set", args->overrides,
                  "override a config key in every job, after the file: key=value (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option(
      "--backend", args->backend,
      "the backend of every job, over the file's: " + JoinNames(BackendNames(), ", ", " or "));
  cmd->add_option("--json", args->json_path, "write the results of every job as JSON");
  cmd->add_flag("--quiet,-q", args->quiet, "print nothing but errors");
  Command c;
  c.app = cmd;
  c.run = [args]() { return Run(*args); };
  return c;
}

}  // namespace autoscale
