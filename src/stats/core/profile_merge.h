// Merging profiles that were built apart (shards of one dataset, several
// datasets, saved profiles): which ones may merge, and the merge of a list.
// Profiles merge only when their samples live in the same model space: the
// same input shape and, with H and W dynamic, the same limit_side_len.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "stats/core/profile.h"

namespace autoscale {

// Ok when `other` (read from `where`) maps samples as `into` does; else one
// line naming `where` and what differs.
Status CheckMergeable(const Profile& into, const Profile& other, const std::string& where);

// One profile of a merge and where it came from (a file, a dataset path).
struct NamedProfile {
  std::string where;
  Profile profile;
};

// The merge of `parts` (at least one), each checked against the first. The
// result's dataset type is the parts' common type ("mixed" when they differ)
// and its path the first part's path, with "(+N more)" when there are more.
Result<Profile> MergeProfiles(const std::vector<NamedProfile>& parts);

}  // namespace autoscale
