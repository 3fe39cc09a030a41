#include "stats/core/profile_merge.h"

namespace autoscale {

Status CheckMergeable(const Profile& into, const Profile& other, const std::string& where) {
  if (other.input_shape != into.input_shape)
    return Status::Error(where + ": built for input shape " + other.input_shape.ToString() +
                         ", not " + into.input_shape.ToString() + " like the others");
  const InputShape& shape = into.input_shape;
  if (shape.HeightDynamic() && shape.WidthDynamic() && other.limit_side_len != into.limit_side_len)
    return Status::Error(where + ": built with limit_side_len " +
                         std::to_string(other.limit_side_len) + ", not " +
                         std::to_string(into.limit_side_len) + " like the others");
  return Status::Ok();
}

Result<Profile> MergeProfiles(const std::vector<NamedProfile>& parts) {
  if (parts.empty()) return Status::Error("no profile to merge");
  Profile merged = parts.front().profile;
  for (size_t i = 1; i < parts.size(); ++i) {
    Status s = CheckMergeable(merged, parts[i].profile, parts[i].where);
    if (!s.ok()) return s;
    merged.Merge(parts[i].profile);
    if (parts[i].profile.dataset.type != merged.dataset.type) merged.dataset.type = "mixed";
  }
  if (parts.size() > 1) merged.dataset.path += " (+" + std::to_string(parts.size() - 1) + " more)";
  return merged;
}

}  // namespace autoscale
