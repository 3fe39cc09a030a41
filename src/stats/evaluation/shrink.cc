#include "stats/evaluation/shrink.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "runtime/router.h"
#include "stats/evaluation/evaluation.h"

namespace autoscale {

nlohmann::json ShrinkEvaluation::ToJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const ShrunkSize& s : worst)
    list.push_back({{"h", s.h}, {"w", s.w}, {"count", s.count}, {"scale", s.scale}});
  return {{"samples", samples},     {"shrunk", shrunk},         {"share", share},
          {"min_scale", min_scale}, {"mean_scale", mean_scale}, {"worst", list}};
}

ShrinkEvaluation EvaluateShrink(const Profile& profile, const GearSet& gears,
                                const InputShape& shape) {
  ShrinkEvaluation e;
  const runtime::Router router(GearTableOf(gears, shape), runtime::CostModel::Pixels());
  std::map<std::pair<int64_t, int64_t>, uint64_t> sizes;  // a box count apart, one (h, w)
  for (const auto& [key, n] : profile.samples()) sizes[{key.h, key.w}] += n;
  double scale_sum = 0;
  std::vector<ShrunkSize> shrunk;
  for (const auto& [hw, n] : sizes) {
    e.samples += n;
    bool clamped = false;
    const runtime::Item covered = router.Cover({hw.first, hw.second}, &clamped);
    if (!clamped) continue;
    const double scale = std::min(static_cast<double>(covered.h) / static_cast<double>(hw.first),
                                  static_cast<double>(covered.w) / static_cast<double>(hw.second));
    e.shrunk += n;
    scale_sum += scale * static_cast<double>(n);
    e.min_scale = std::min(e.min_scale, scale);
    shrunk.push_back({hw.first, hw.second, n, scale});
  }
  if (e.samples > 0) e.share = static_cast<double>(e.shrunk) / static_cast<double>(e.samples);
  if (e.shrunk > 0) e.mean_scale = scale_sum / static_cast<double>(e.shrunk);
  std::stable_sort(shrunk.begin(), shrunk.end(), [](const ShrunkSize& a, const ShrunkSize& b) {
    return std::tie(a.scale, b.count) < std::tie(b.scale, a.count);
  });
  if (shrunk.size() > ShrinkEvaluation::kMaxListed) shrunk.resize(ShrinkEvaluation::kMaxListed);
  e.worst = std::move(shrunk);
  return e;
}

}  // namespace autoscale
