// --dry-run: instead of running the converters, write every command into
// <output_path>/convert.sh, each word shell-quoted, so the conversion can be
// reviewed, or run later, from any folder, on a machine that has the
// converters.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "convert/backend.h"
#include "convert/external_runner.h"

namespace autoscale {

// `word` as one POSIX shell word: unchanged when it holds only characters no
// shell interprets, else in single quotes (a ' becomes '\'').
std::string ShellQuote(const std::string& word);

// The argument vector as one shell command line.
std::string ShellCommandLine(const std::vector<std::string>& argv);

// <output_path>/convert.sh
std::string DryRunScriptPath(const std::string& output_path);

// The text of convert.sh: it changes to its own folder (the jobs' paths are
// relative to it), runs one command per job and exits non-zero if any failed.
std::string DryRunScript(const std::vector<ExternalJob>& jobs);

// Writes convert.sh (executable) into `output_path` and returns the outcomes
// of a dry run: each model ok, listing the files a real run would produce.
Result<std::vector<ModelOutcome>> WriteDryRun(const std::string& output_path,
                                              const std::vector<ExternalJob>& jobs);

}  // namespace autoscale
