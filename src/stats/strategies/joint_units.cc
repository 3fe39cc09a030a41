#include "stats/strategies/joint_units.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace autoscale {

std::vector<RoutingUnit> UnitsFromProfile(const Profile& profile) {
  std::vector<RoutingUnit> out;
  if (!profile.HasBatchInfo()) return out;
  // Per box count, its samples as (w, h) -> count, sorted by (w, h).
  std::map<int64_t, std::map<std::pair<int64_t, int64_t>, uint64_t>> by_count;
  for (const auto& [key, n] : profile.samples())
    if (key.batch > 0 && n > 0) by_count[key.batch][{key.w, key.h}] += n;
  for (const auto& [k, sizes] : by_count) {
    uint64_t boxes = 0;
    for (const auto& [wh, n] : sizes) boxes += n;
    uint64_t images = 0;
    auto hist = profile.batch().counts().find(k);
    if (hist != profile.batch().counts().end()) images = hist->second;
    if (images == 0) images = (boxes + static_cast<uint64_t>(k) - 1) / static_cast<uint64_t>(k);
    const int64_t reps =
        std::min({kUnitsPerBoxCount, static_cast<int64_t>(images),
                  std::max<int64_t>(1, kBoxesPerBoxCount / k)});
    // Representative r takes ranks (r + reps * i + 0.5) / (reps * k) of the
    // sorted boxes, i = 0..k-1: every rank band once across the reps.
    const double slots = static_cast<double>(reps * k);
    std::vector<RoutingUnit> units(static_cast<size_t>(reps));
    for (RoutingUnit& u : units) u.weight = static_cast<double>(images) / static_cast<double>(reps);
    auto it = sizes.begin();
    uint64_t below = 0;  // boxes before `it`
    for (int64_t slot = 0; slot < reps * k; ++slot) {
      const double rank = (static_cast<double>(slot) + 0.5) / slots * static_cast<double>(boxes);
      while (it != sizes.end() && static_cast<double>(below + it->second) <= rank) {
        below += it->second;
        ++it;
      }
      const auto& wh = it == sizes.end() ? sizes.rbegin()->first : it->first;
      units[static_cast<size_t>(slot % reps)].items.push_back({wh.second, wh.first});
    }
    for (RoutingUnit& u : units) out.push_back(std::move(u));
  }
  return out;
}

}  // namespace autoscale
