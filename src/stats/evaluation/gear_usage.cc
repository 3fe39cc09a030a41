#include "stats/evaluation/gear_usage.h"

#include <algorithm>
#include <numeric>

namespace autoscale {

namespace {

// Gear indices in ascending order of value (ties: by index).
std::vector<size_t> AscendingOrder(const std::vector<int64_t>& gears) {
  std::vector<size_t> order(gears.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return gears[a] < gears[b]; });
  return order;
}

// The index of the smallest gear >= v, or of the largest gear when none is.
// `order` is AscendingOrder(gears); gears not empty.
size_t SmallestHolding(const std::vector<int64_t>& gears, const std::vector<size_t>& order,
                       int64_t v, bool* holds) {
  auto it = std::lower_bound(order.begin(), order.end(), v,
                             [&](size_t i, int64_t value) { return gears[i] < value; });
  *holds = it != order.end();
  return *holds ? *it : order.back();
}

}  // namespace

GearUsage UsageOneDim(const std::map<int64_t, double>& counts, const std::vector<int64_t>& gears) {
  GearUsage usage;
  usage.served.assign(gears.size(), 0.0);
  for (const auto& [v, n] : counts) usage.total += n;
  if (gears.empty()) return usage;
  const auto order = AscendingOrder(gears);
  for (const auto& [v, n] : counts) {
    bool holds = false;
    usage.served[SmallestHolding(gears, order, v, &holds)] += n;
    if (!holds) usage.shrunk += n;
  }
  return usage;
}

GearUsage UsagePairs(const std::map<std::pair<int64_t, int64_t>, double>& counts,
                     const std::vector<HwGear>& gears) {
  GearUsage usage;
  usage.served.assign(gears.size(), 0.0);
  for (const auto& [hw, n] : counts) usage.total += n;
  if (gears.empty()) return usage;
  std::vector<size_t> order(gears.size());
  std::iota(order.begin(), order.end(), 0);
  // 128-bit: gear sides are not trusted to be small.
  const auto area = [&](size_t i) {
    return static_cast<__int128>(gears[i].first) * static_cast<__int128>(gears[i].second);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (area(a) != area(b)) return area(a) < area(b);
    return gears[a].first < gears[b].first;
  });
  for (const auto& [hw, n] : counts) {
    size_t chosen = order.back();
    bool holds = false;
    for (size_t i : order) {
      if (gears[i].first >= hw.first && gears[i].second >= hw.second) {
        chosen = i;
        holds = true;
        break;
      }
    }
    usage.served[chosen] += n;
    if (!holds) usage.shrunk += n;
  }
  return usage;
}

BoxRuns RunsFor(int64_t box_count, const std::vector<int64_t>& gears) {
  BoxRuns r;
  r.largest = *std::max_element(gears.begin(), gears.end());
  r.full = static_cast<uint64_t>(box_count / r.largest);
  r.rest = box_count % r.largest;
  if (r.rest > 0) {
    r.rest_gear = r.largest;
    for (int64_t g : gears)
      if (g >= r.rest && g < r.rest_gear) r.rest_gear = g;
  }
  return r;
}

std::vector<BatchShare> BatchModelShares(int64_t box_count, const std::vector<int64_t>& gears) {
  if (box_count <= 0 || gears.empty()) return {};
  if (*std::max_element(gears.begin(), gears.end()) <= 0) return {};  // no run possible
  const BoxRuns r = RunsFor(box_count, gears);
  if (r.full == 0) return {{r.rest_gear, 1.0}};
  if (r.rest_gear == 0 || r.rest_gear == r.largest) return {{r.largest, 1.0}};
  const double share = static_cast<double>(r.rest) / static_cast<double>(box_count);
  return {{r.rest_gear, share}, {r.largest, 1.0 - share}};
}

}  // namespace autoscale
