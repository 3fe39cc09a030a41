// What the atc and lite backends share: the checks made before anything
// runs, where each model's files go, and running (or, with --dry-run,
// scripting) the converter jobs.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "convert/backend.h"
#include "convert/external_runner.h"

namespace autoscale {

// <output_path>/<name>: the converter's --output; it adds the extension.
std::string ModelOutputBase(const ConvertOptions& options, const PlannedModel& model);

// <output_path>/logs/<name>.log
std::string ModelLogPath(const ConvertOptions& options, const PlannedModel& model);

// --jobs and --timeout, the input name, ATC's gear rules for every model,
// and (unless dry_run) that the converter binary can be found.
Status ValidateExternal(const Plan& plan, const ConvertOptions& options,
                        const ConverterBinary& binary);

// The same checks without ATC's gear rules, for converters with rules of
// their own (trt, rknn, openvino check theirs before calling this).
Status ValidateExternalBinary(const Plan& plan, const ConvertOptions& options,
                              const ConverterBinary& binary);

// argv[0] of the jobs: the word convert.sh uses in a dry run, else the
// binary found (FindConverter).
Result<std::string> ConverterArgv0(const ConvertOptions& options, const ConverterBinary& binary);

// Writes convert.sh when options.dry_run, else runs the jobs (-j, --timeout).
// A dry run that cannot write convert.sh fails every model with that error.
std::vector<ModelOutcome> RunOrWriteScript(const std::vector<ExternalJob>& jobs,
                                           const ConvertOptions& options);

// One failed outcome per planned model, all with `error` (nothing could run).
std::vector<ModelOutcome> FailEveryModel(const Plan& plan, const std::string& error);

}  // namespace autoscale
