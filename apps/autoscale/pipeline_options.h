// The command-line options of the stats pipeline, shared by `stats` and
// `convert`.
#pragma once

#include <CLI/CLI.hpp>

#include "pipeline/stats_pipeline.h"

namespace autoscale {

// Registers the pipeline options on a subcommand.
void AddPipelineOptions(CLI::App* command, PipelineOptions* options);

}  // namespace autoscale
