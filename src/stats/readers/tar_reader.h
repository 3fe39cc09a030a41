// Reads WebDataset-style tar shards: a .tar file, a folder of *.tar files, or
// a glob pattern of them. Image members (by extension) are sized in place
// from their headers, through a read-only mapping of the shard: nothing is
// extracted or copied. Other members (.txt, .json, .cls of a sample) are
// passed over without being counted.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"
#include "stats/readers/dataset_reader.h"

namespace autoscale {

// The shards `path` names, sorted: the file itself; a folder's *.tar files
// (not its sub-folders); or the files a glob pattern (*, ?, [...]) matches.
// Errors: nothing exists there, or the folder or pattern has no tar file.
Result<std::vector<std::string>> ListTarShards(const std::string& path);

// True when `path` has a glob character and no file of that name exists.
bool IsGlobPattern(const std::string& path);

// Fills `profile`: one image per image member. A member whose bytes are not
// a readable image is counted as corrupt and named "shard:member"; a broken
// shard (bad header, truncated) is counted as corrupt and named with the
// reason, and its members up to the break are kept. Errors: no shard, a
// shard that cannot be opened, or no image in any shard.
Status ReadTarShards(const std::string& path, const ModelSpace& space, const ReadOptions& options,
                     Profile* profile);

}  // namespace autoscale
