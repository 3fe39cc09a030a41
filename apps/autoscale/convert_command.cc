#include "autoscale/convert_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "autoscale/command.h"
#include "autoscale/pipeline_options.h"
#include "common/progress.h"
#include "convert/rknn_backend.h"
#include "convert/trt_backend.h"
#include "pipeline/convert_pipeline.h"
#include "pipeline/job_options.h"

namespace autoscale {

void AddConvertOptions(CLI::App* command, ConvertOptions* o) {
  // The options a jobs file has too: names and help from its schema.
  const auto option = [command](const char* name, auto* field) {
    return command->add_option(JobOptionFlags(name), *field, JobOptionHelp(name));
  };
  const auto flag = [command](const char* name, bool* field) {
    return command->add_flag(JobOptionFlags(name), *field, JobOptionHelp(name));
  };
  option("model_path", &o->model_path)->required();
  option("output_path", &o->output_path);
  option("backend", &o->backend);
  option("input_name", &o->input_name);
  option("soc_version", &o->soc_version);
  option("atc_path", &o->atc_path);
  option("lite_path", &o->lite_path);
  option("trtexec_path", &o->trtexec_path);
  option("trt_profiles", &o->trt_profiles)->check(CLI::IsMember(TrtProfileModes()));
  option("rknn_target_platform", &o->rknn_target_platform)->check([](const std::string& value) {
    return CheckRknnTargetPlatform(value).message();
  });
  option("rknn_python", &o->rknn_python);
  option("ovc_path", &o->ovc_path);
  command->add_option("-j,--jobs", o->jobs, JobOptionHelp("converter_jobs"));
  option("timeout", &o->timeout_seconds);
  flag("dry_run", &o->dry_run);
  flag("static_per_gear", &o->static_per_gear);
}

Command AddConvertCommand(CLI::App* parent) {
  auto pipeline = std::make_shared<PipelineOptions>();
  auto convert = std::make_shared<ConvertOptions>();
  CLI::App* cmd = parent->add_subcommand(
      "convert", "choose gears from a dataset (or default_scaling) and convert a model to them");
  AddConvertOptions(cmd, convert.get());
  AddPipelineOptions(cmd, pipeline.get());
  Command c;
  c.app = cmd;
  c.run = [pipeline, convert]() -> int {
    Status usage = CheckConvertCommand(*pipeline, *convert);
    if (!usage.ok()) {
      std::fprintf(stderr, "autoscale convert: %s\n", usage.message().c_str());
      return kExitUsage;
    }
    TerminalProgress progress;
    pipeline->progress = &progress;
    auto report = RunConvert(*pipeline, *convert);
    pipeline->progress = nullptr;
    if (!report.ok()) {
      std::fprintf(stderr, "autoscale convert: %s\n", report.message().c_str());
      return kExitFailed;
    }
    if (!pipeline->quiet) std::cout << report->Summary() << std::flush;
    if (!report->ok()) {
      size_t failed = 0;
      const ModelOutcome* first = nullptr;
      for (const ModelOutcome& o : report->outcomes) {
        if (o.ok) continue;
        ++failed;
        if (!first) first = &o;
      }
      const std::string what = first ? first->name + ": " + first->error : "no model planned";
      std::fprintf(stderr, "autoscale convert: %zu of %zu models failed; first: %s\n", failed,
                   report->outcomes.size(), what.c_str());
      return kExitFailed;
    }
    return kExitOk;
  };
  return c;
}

}  // namespace autoscale
