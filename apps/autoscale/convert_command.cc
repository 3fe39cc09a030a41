#include "autoscale/convert_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "autoscale/command.h"
#include "autoscale/error_line.h"
#include "autoscale/pipeline_options.h"
#include "common/progress.h"
#include "convert/rknn_backend.h"
#include "convert/trt_backend.h"
#include "pipeline/convert_pipeline.h"
#include "pipeline/job_options.h"
#include "pipeline/output_check.h"

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
  option("atc_mode", &o->atc_mode);
  flag("copy_model", &o->copy_model);
  // Repeatable; a value that starts with "--" is given after '='
  // (--atc_arg=--precision_mode=force_fp16).
  const auto list = [command](const char* flags, const char* name,
                              std::vector<std::string>* field) {
    return command->add_option(flags, *field, JobOptionHelp(name))->allow_extra_args(false);
  };
  list("--atc_arg,--atc_args,--atc-arg", "atc_args", &o->atc_args);
  list("--lite_arg,--lite_args,--lite-arg", "lite_args", &o->lite_args);
  list("--lite_config,--lite-config", "lite_config", &o->lite_config);
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
      PrintErrorLine("autoscale convert: ", usage.message());
      return kExitUsage;
    }
    TerminalProgress progress;
    pipeline->progress = &progress;
    convert->progress = pipeline->quiet ? nullptr : &progress;
    auto report = RunConvert(*pipeline, *convert);
    pipeline->progress = nullptr;
    convert->progress = nullptr;
    if (!report.ok()) {
      PrintErrorLine("autoscale convert: ", report.message());
      return kExitFailed;
    }
    // With an output on stdout ("-"), the summary goes to stderr.
    if (!pipeline->quiet)
      (WritesToStdout(*pipeline) ? std::cerr : std::cout) << report->Summary() << std::flush;
    if (!report->ok()) {
      size_t failed = 0;
      const ModelOutcome* first = nullptr;
      for (const ModelOutcome& o : report->outcomes) {
        if (o.ok) continue;
        ++failed;
        if (!first) first = &o;
      }
      const std::string what = first ? first->name + ": " + first->error : "no model planned";
      PrintErrorLine("autoscale convert: ", std::to_string(failed) + " of " +
                                                std::to_string(report->outcomes.size()) +
                                                " models failed; first: " + what);
      return kExitFailed;
    }
    return kExitOk;
  };
  return c;
}

}  // namespace autoscale
