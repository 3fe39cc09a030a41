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

// Paths as a converter command names them. A real run names them as they
// are; a dry run relative to the output folder, since convert.sh changes to
// its own folder first (so the folder can be moved or copied elsewhere).

// <output_path>/<name>, or <name> in a dry run.
std::string CommandOutputBase(const ConvertOptions& options, const PlannedModel& model);

// The input model: plan.model_path; in a dry run its path relative to the
// output folder, or (copy_model) the name of its copy there.
std::string CommandModelPath(const Plan& plan, const ConvertOptions& options);

// A file a user option names (--insert_op_conf=aipp.cfg): as given; in a dry
// run the name of its copy in the output folder.
std::string CommandUserFile(const ConvertOptions& options, const std::string& path);

// A dry run's copies: the model (with copy_model) and every file the user's
// converter options name (ConverterFiles), into the output folder. Two
// different files with one name are an error. Nothing to do in a real run.
Status CopyDryRunInputs(const Plan& plan, const ConvertOptions& options);

// <output_path>/logs/<name>.log
std::string ModelLogPath(const ConvertOptions& options, const PlannedModel& model);

// The job that converts `model` with `argv`: named after the model, logging
// to ModelLogPath, expected to write ModelOutputBase + `extension`.
ExternalJob ModelJob(const ConvertOptions& options, const PlannedModel& model,
                     std::vector<std::string> argv, const std::string& extension);

// --jobs and --timeout, the input name, ATC's gear rules for every model,
// and (unless dry_run) that the converter binary can be found.
Status ValidateExternal(const Plan& plan, const ConvertOptions& options,
                        const ConverterBinary& binary);

// The same checks without ATC's gear rules, for converters with rules of
// their own (trt, rknn, openvino check theirs before calling this).
Status ValidateExternalBinary(const Plan& plan, const ConvertOptions& options,
                              const ConverterBinary& binary);

// argv[0] of the jobs: the word convert.sh uses in a dry run (a relative
// --atc_path/--lite_path made absolute, since the script changes folder),
// else the binary found (FindConverter).
Result<std::string> ConverterArgv0(const ConvertOptions& options, const ConverterBinary& binary);

// Writes convert.sh when options.dry_run, else runs the jobs (-j, --timeout).
// A dry run that cannot write convert.sh fails every model with that error.
std::vector<ModelOutcome> RunOrWriteScript(const std::vector<ExternalJob>& jobs,
                                           const ConvertOptions& options);

// One failed outcome per planned model, all with `error` (nothing could run).
std::vector<ModelOutcome> FailEveryModel(const Plan& plan, const std::string& error);

}  // namespace autoscale
