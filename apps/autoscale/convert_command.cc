#include "autoscale/convert_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "autoscale/command.h"
#include "autoscale/pipeline_options.h"
#include "common/names.h"
#include "common/progress.h"
#include "pipeline/convert_pipeline.h"

namespace autoscale {

void AddConvertOptions(CLI::App* command, ConvertOptions* o) {
  command->add_option("--model_path,--model-path", o->model_path, "the ONNX model to convert")
      ->required();
  command->add_option("--output_path,--output-path", o->output_path,
                      "folder for every file written (default output)");
  const std::vector<std::string> backends = BackendNames();
  command->add_option("--backend", o->backend,
                      JoinNames(backends, ", ", " or ") + " (default " + backends.front() + ")");
  command->add_option("--input_name,--input-name", o->input_name,
                      "the graph input to shape (default: the model's only input)");
  command->add_option("--soc_version,--soc-version", o->soc_version,
                      "atc --soc_version (default Ascend310P3)");
  command->add_option("--atc_path,--atc-path", o->atc_path, "the atc binary (default: from PATH)");
  command->add_option("--lite_path,--lite-path", o->lite_path,
                      "the converter_lite binary (default: from PATH)");
  command->add_option("-j,--jobs", o->jobs, "external conversions at once (default 1)");
  command->add_option("--timeout", o->timeout_seconds,
                      "seconds one external conversion may take (default 3600)");
  command->add_flag("--dry-run,--dry_run", o->dry_run,
                    "atc/lite: write convert.sh and the config files, run no converter; "
                    "onnx: check every gear, write no model");
  command->add_flag("--static_per_gear,--static-per-gear", o->static_per_gear,
                    "onnx: also write one static model per gear (config onnx.static_per_gear)");
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
    TerminalProgress progress;
    pipeline->progress = &progress;
    auto report = RunConvert(*pipeline, *convert);
    pipeline->progress = nullptr;
    if (!report.ok()) {
      std::fprintf(stderr, "autoscale convert: %s\n", report.message().c_str());
      return 1;
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
      return 1;
    }
    return 0;
  };
  return c;
}

}  // namespace autoscale
