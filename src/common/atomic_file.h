// Writes output files so that a failed or interrupted run never leaves a
// half-written one, and so that a write never replaces what it should not:
//
//   - "-" is standard output;
//   - a symbolic link is followed to its target (the link stays);
//   - a character device (/dev/null, a terminal) or a FIFO is opened and
//     written directly, never replaced;
//   - a regular file (or nothing yet) is written to a temporary sibling
//     created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW: a planted file or link
//     at that name is never written through) and renamed over the target;
//     an existing file's permission bits are kept;
//   - a folder, a block device or a socket is refused.
#pragma once

#include <string>

#include "common/status.h"

namespace autoscale {

// True for "-", the output path that means standard output.
bool IsStdoutPath(const std::string& path);

// Where a write to `path` lands: `path` with symbolic links in its last
// component followed to the file they point at (which may not exist yet).
// Fails on a link loop.
Result<std::string> ResolveOutputTarget(const std::string& path);

// Writes `contents` to `path` as described at the top; the error names `path`.
Status WriteFileAtomic(const std::string& path, const std::string& contents);

// A temporary file created exclusively beside `path` (never following a
// link), open for writing: write to `fd`, close it, then CommitTempFile or
// remove `path`.
struct TempFile {
  std::string path;
  int fd = -1;
};
Result<TempFile> CreateTempFile(const std::string& path);

// A temporary sibling name for `path` ("dir/.name.tmp.<pid>.<n>"). Only a
// name: create it with CreateTempFile (or another exclusive create).
std::string TempPathFor(const std::string& path);

// Renames `temp_path` over `path` (over a symbolic link's target, not the
// link); refuses a `path` that is a folder, device or FIFO. On failure the
// temporary file is removed.
Status CommitTempFile(const std::string& temp_path, const std::string& path);

// Writes all of `data` to `fd` (retrying short writes and EINTR); false with
// errno set on failure.
bool WriteAll(int fd, const char* data, size_t size);

// Reads a whole file; the error names the path.
Result<std::string> ReadFile(const std::string& path);

}  // namespace autoscale
