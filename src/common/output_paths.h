// Checks, before a command does any work, every place it will write: each
// output can be written there, and no output replaces an input, another
// output, or a file an output folder holds. Files are compared by identity
// (device and inode when they exist, the normalized path with symbolic links
// resolved otherwise), not by the text of their paths.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace autoscale {

struct PathUse {
  enum class Kind {
    kInput,         // a file or folder read; never written
    kOutputFile,    // written whole (WriteFileAtomic); "-" is standard output
    kOutputFolder,  // created if missing; the command writes files in it
  };
  Kind kind = Kind::kInput;
  // How messages name it: "--json", "job 'rec' report". Empty entries of a
  // list of uses are skipped.
  std::string label;
  std::string path;
  // Who writes it: outputs of one owner (a command, a job) may share a
  // folder; another owner's output inside a folder is refused.
  std::string owner;
  // kOutputFolder: the names (first path component inside the folder) its
  // owner writes, exactly or as a prefix; its owner's other outputs may sit
  // in the folder under any other name.
  std::vector<std::string> reserved_names;
  std::vector<std::string> reserved_prefixes;
};

// Refuses, with one line naming both paths: two outputs that are one file
// (character devices such as /dev/null excepted) or both standard output; an
// output that is an input; an output file inside another owner's output
// folder or on a name its own folder reserves; output folders inside one
// another. Then checks each output: a file's folder exists and takes new
// files, the file is not a folder, block device or socket; a folder is a
// folder or can be created under a writable one.
Status CheckPathUses(const std::vector<PathUse>& uses);

}  // namespace autoscale
