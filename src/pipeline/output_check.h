// The files and folders a stats or convert command (or a job) reads and
// writes, as common/output_paths.h checks them before any work: outputs that
// would replace an input, each other or the conversion's own files, and
// output locations that cannot be written, are refused up front.
#pragma once

#include <string>
#include <vector>

#include "common/output_paths.h"
#include "common/status.h"
#include "convert/backend.h"
#include "pipeline/stats_pipeline.h"

namespace autoscale {

// The uses of one command (`convert` null for `stats`). `job` empty: labels
// are the command-line options ("--json"); else "job 'NAME' json".
std::vector<PathUse> PathUsesOf(const PipelineOptions& pipeline, const ConvertOptions* convert,
                                const std::string& job = "");

// Whether one of the files it writes is standard output ("-"); the human
// summary then goes to stderr.
bool WritesToStdout(const PipelineOptions& pipeline);

// CheckPathUses over PathUsesOf(pipeline, convert).
Status CheckCommandPaths(const PipelineOptions& pipeline, const ConvertOptions* convert);

}  // namespace autoscale
