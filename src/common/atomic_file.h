// Writes files under a temporary name and renames them into place, so a
// failed or interrupted run never leaves a half-written output.
#pragma once

#include <string>

#include "common/status.h"

namespace autoscale {

// Writes `contents` to `path` through `path.tmp.<pid>` and an atomic rename.
Status WriteFileAtomic(const std::string& path, const std::string& contents);

// A temporary sibling name for `path` ("dir/.name.tmp.<pid>.<n>") for writers
// that produce the file themselves before CommitTempFile renames it.
std::string TempPathFor(const std::string& path);
Status CommitTempFile(const std::string& temp_path, const std::string& path);

// Reads a whole file; the error names the path.
Result<std::string> ReadFile(const std::string& path);

}  // namespace autoscale
