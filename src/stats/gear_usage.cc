#include "stats/gear_usage.h"

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

std::vector<BatchShare> BatchModelShares(int64_t box_count, const std::vector<int64_t>& gears) {
  if (box_count <= 0 || gears.empty()) return {};
  const auto order = AscendingOrder(gears);
  const int64_t largest = gears[order.back()];
  if (largest <= 0) return {};  // not a valid batch gear set: no run possible
  bool holds = false;
  if (box_count <= largest) return {{gears[SmallestHolding(gears, order, box_count, &holds)], 1.0}};
  const int64_t rest = box_count % largest;
  const int64_t rest_gear = rest > 0 ? gears[SmallestHolding(gears, order, rest, &holds)] : largest;
  if (rest_gear == largest) return {{largest, 1.0}};
  const double share = static_cast<double>(rest) / static_cast<double>(box_count);
  return {{rest_gear, share}, {largest, 1.0 - share}};
}

GearUsage UsageBatch(const Histogram& box_counts, const std::vector<int64_t>& gears) {
  GearUsage usage;
  usage.served.assign(gears.size(), 0.0);
  if (gears.empty()) return usage;
  const auto order = AscendingOrder(gears);
  const size_t largest = order.back();
  if (gears[largest] <= 0) return usage;  // not a valid batch gear set: no run possible
  for (const auto& [boxes, images] : box_counts.counts()) {
    if (boxes <= 0) continue;
    const double n = static_cast<double>(images);
    bool holds = false;
    if (boxes <= gears[largest]) {
      usage.served[SmallestHolding(gears, order, boxes, &holds)] += n;
      usage.total += n;
      continue;
    }
    const double full_runs = static_cast<double>(boxes / gears[largest]);
    usage.served[largest] += full_runs * n;
    usage.total += full_runs * n;
    const int64_t rest = boxes % gears[largest];
    if (rest > 0) {
      usage.served[SmallestHolding(gears, order, rest, &holds)] += n;
      usage.total += n;
    }
  }
  return usage;
}

uint64_t SplitImages(const Histogram& box_counts, const std::vector<int64_t>& gears) {
  if (gears.empty()) return 0;
  const int64_t largest = *std::max_element(gears.begin(), gears.end());
  uint64_t split = 0;
  for (const auto& [boxes, images] : box_counts.counts())
    if (boxes > largest) split += images;
  return split;
}

}  // namespace autoscale
