// Runs external converters (atc, converter_lite): argument vectors with no
// shell, a bounded number at once, each with a timeout that kills its whole
// process group, a log file per model, and success only when the process
// exits 0 AND the file it should write is there: a non-empty regular file
// that starts with its format's magic bytes, when the format has them. A
// failed conversion leaves nothing it wrote behind. After SIGINT/SIGTERM
// (common/interrupt.h) no job starts and the running ones have their process
// groups stopped.
#pragma once

#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "convert/backend.h"

namespace autoscale {

// The file a converter is expected to write.
struct ExpectedOutput {
  // "<output_path>/<name>.om": the file the converter should write.
  std::string path;
  // ATC may name its file "<out>_<os>_<arch>.om": when true, a file named
  // "<stem>_<anything><extension>" beside `path` counts too. Default false.
  bool allow_platform_suffix = false;
  // The bytes the file must start with (ModelFileMagic); empty: any.
  std::string magic;
};

// One conversion to run.
struct ExternalJob {
  // The planned model's name; names the outcome.
  std::string name;
  // argv[0] is the converter binary's path (not looked up on PATH).
  std::vector<std::string> argv;
  // Receives the command line, then the converter's stdout and stderr.
  std::string log_path;
  ExpectedOutput output;
  // Files written for this job before it runs (Lite's config); listed in the
  // outcome after the model file.
  std::vector<std::string> inputs;
};

struct RunnerOptions {
  // Conversions at once; at least 1. Default 1 (ATC is memory hungry).
  int jobs = 1;
  // How long one conversion may take before its process group is killed.
  // Default 3600 s.
  double timeout_seconds = 3600;
  // After SIGTERM on timeout, how long before SIGKILL. Default 2 s.
  double kill_grace_seconds = 2;
  // Lines of the log kept in a failed outcome's log_tail. Default 20.
  int tail_lines = 20;
  // Receives a line when a job starts and when it ends, and on a terminal a
  // status line of the running jobs (elapsed time, last line of the log).
  // Default none.
  ProgressSink* progress = nullptr;
};

// Runs every job, at most `options.jobs` at once; one outcome per job, in
// job order. A failed job does not stop the others.
std::vector<ModelOutcome> RunExternalJobs(const std::vector<ExternalJob>& jobs,
                                          const RunnerOptions& options);

// The magic bytes a model file of this extension (".om") starts with; empty
// when the format has none.
std::string ModelFileMagic(const std::string& extension);

// A converter's output: a regular file (not a folder, not a link), not
// empty, starting with `magic`. The error names the path.
Status CheckConverterOutput(const std::string& path, const std::string& magic);

// Checks --jobs and --timeout (named as on the command line).
Status CheckRunnerOptions(const ConvertOptions& options);
RunnerOptions RunnerOptionsFrom(const ConvertOptions& options);

// How to find a converter binary and what to say when it is missing.
struct ConverterBinary {
  std::string name;           // "atc"
  std::string explicit_path;  // the --atc_path value; empty: look `name` up on PATH
  std::string path_flag;      // "--atc_path"
  std::string install_hint;   // "install the Ascend CANN toolkit and source its set_env.sh"
};

// The binary's path: `explicit_path` when given (a bare name that is not a
// file here is looked up on PATH), else `name` on PATH. The error is one line
// that says how to fix it, --dry-run among the ways.
Result<std::string> FindConverter(const ConverterBinary& binary);

// The word convert.sh uses for the binary: the explicit path, else the name.
std::string ScriptBinary(const ConverterBinary& binary);

// The last `lines` lines of a file (at most the last 64 KiB of it).
std::string FileTail(const std::string& path, int lines);

}  // namespace autoscale
