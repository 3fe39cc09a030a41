#include <cstdio>
#include <iostream>
#include <memory>

#include "autoscale/command.h"
#include "autoscale/error_line.h"
#include "autoscale/pipeline_options.h"
#include "common/interrupt.h"
#include "common/progress.h"
#include "pipeline/output_check.h"
#include "pipeline/stats_pipeline.h"

namespace autoscale {

Command AddStatsCommand(CLI::App* parent) {
  auto options = std::make_shared<PipelineOptions>();
  CLI::App* cmd = parent->add_subcommand(
      "stats", "read a dataset, choose gears and show what they cost (no model needed)");
  AddPipelineOptions(cmd, options.get());
  Command c;
  c.app = cmd;
  c.run = [options]() -> int {
    Status usage = CheckPipelineOptions(*options);
    if (usage.ok()) usage = CheckCommandPaths(*options, nullptr);
    if (!usage.ok()) {
      PrintErrorLine("autoscale stats: ", usage.message());
      return kExitUsage;
    }
    TerminalProgress progress;
    options->progress = &progress;
    auto result = RunPipeline(*options);
    options->progress = nullptr;
    if (!result.ok()) {
      PrintErrorLine("autoscale stats: ", result.message());
      return kExitFailed;
    }
    // A signal now lets every output be written whole, then exits 130/143.
    InterruptScope writing;
    Status s = WritePipelineOutputs(*options, *result, result->ToJson());
    if (!s.ok()) {
      PrintErrorLine("autoscale stats: ", s.message());
      return kExitFailed;
    }
    // With an output on stdout ("-"), the summary goes to stderr.
    if (!options->quiet)
      (WritesToStdout(*options) ? std::cerr : std::cout) << result->Summary() << std::flush;
    return kExitOk;
  };
  return c;
}

}  // namespace autoscale
