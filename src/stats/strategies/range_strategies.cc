#include "stats/strategies/range_strategies.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace autoscale {

namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0 && (a > 0) == (b > 0)); }

// A second value for a dim whose data gives one gear `only`: the next
// multiple of interval, or the one below when the next is past the dim's
// bounds and the one below is still positive.
int64_t SecondGear(int64_t only, Dim d, const InputShape& shape, const ScalingConfig& config) {
  const int64_t up = only + config.interval, down = only - config.interval;
  const int64_t top = GearBoundsFor(d, shape, config).GearHi(config.interval);
  return up > top && down > 0 ? down : up;
}

// The gears of one dynamic dim, or of two when both are dynamic.
std::vector<HwGear> RangeHwGears(RangeKind kind, const Profile& profile, const InputShape& shape,
                                 const ScalingConfig& config) {
  const int64_t limit = HwGearLimit(config);
  std::vector<int64_t> heights, widths;
  if (shape.HeightDynamic() && shape.WidthDynamic()) {
    DimSpan h = SpanFor(kind, profile.Heights(), kH, shape, config);
    DimSpan w = SpanFor(kind, profile.Widths(), kW, shape, config);
    auto [num_h, num_w] = FitGrid(h.count, w.count, limit);
    heights = SpacedGears(h.lo, h.hi, num_h, config.interval);
    widths = SpacedGears(w.lo, w.hi, num_w, config.interval);
    // Every sample the same size: one pair. The second goes to the width,
    // the dim text images vary in most.
    if (heights.size() * widths.size() < 2)
      widths.push_back(SecondGear(widths.back(), kW, shape, config));
  } else {
    const Dim d = shape.HeightDynamic() ? kH : kW;
    DimSpan span = SpanFor(kind, d == kH ? profile.Heights() : profile.Widths(), d, shape, config);
    std::vector<int64_t> values =
        SpacedGears(span.lo, span.hi, std::min(span.count, limit), config.interval);
    if (values.size() < 2) values.push_back(SecondGear(values.back(), d, shape, config));
    (d == kH ? heights : widths) = values;
  }
  std::sort(heights.begin(), heights.end());
  std::sort(widths.begin(), widths.end());
  return HwGrid(heights, widths, shape);
}

}  // namespace

ValueRange MeanStdRange(const Histogram& values, double n_std) {
  const double mean = values.Mean(), spread = n_std * values.Std();
  return {mean - spread, mean + spread};
}

ValueRange MaxMinRange(const Histogram& values, double expand_ratio) {
  const double lo = static_cast<double>(values.Min()), hi = static_cast<double>(values.Max());
  const double grow = (hi - lo) * expand_ratio / 2;
  return {lo - grow, hi + grow};
}

ValueRange RangeFor(RangeKind kind, const Histogram& values, const ScalingConfig& config) {
  return kind == RangeKind::kMeanStd ? MeanStdRange(values, config.n_std)
                                     : MaxMinRange(values, config.expand_ratio);
}

DimSpan SpanFor(RangeKind kind, const Histogram& values, Dim d, const InputShape& shape,
                const ScalingConfig& config) {
  const ValueRange r = RangeFor(kind, values, config);
  // Plain variables, not a structured binding: lambdas may capture those
  // only from C++20 on.
  const GearBounds bounds = GearBoundsFor(d, shape, config);
  const double min = static_cast<double>(bounds.lo);
  const double max = static_cast<double>(bounds.hi);
  // Clamping each end (rather than intersecting) keeps a range that lies
  // wholly outside the bounds as the bound it is nearest to.
  auto clamp = [&](double v) { return std::clamp(v, min, max); };
  DimSpan span;
  span.lo = RoundUpToInterval(clamp(r.lo), config.interval);
  span.hi = RoundUpToInterval(clamp(r.hi), config.interval);
  span.lo = std::min(span.lo, span.hi);  // a negative n_std or expand_ratio
  span.count = (span.hi - span.lo) / config.interval + 1;
  return span;
}

std::vector<int64_t> SpacedGears(int64_t lo, int64_t hi, int64_t count, int64_t interval) {
  count = std::clamp<int64_t>(count, 1, (hi - lo) / interval + 1);
  if (count == 1) return {hi};
  std::vector<int64_t> out;
  // Value i is lo + (hi - lo) * i / (count - 1), rounded up in exact
  // integer arithmetic so that hi is hit exactly.
  const int64_t den = count - 1;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t v = CeilDiv(lo * den + (hi - lo) * i, interval * den) * interval;
    const int64_t gear = std::max(v, interval);
    if (out.empty() || out.back() != gear) out.push_back(gear);
  }
  return out;
}

std::pair<int64_t, int64_t> FitGrid(int64_t num_h, int64_t num_w, int64_t limit) {
  num_h = std::max<int64_t>(num_h, 1);
  num_w = std::max<int64_t>(num_w, 1);
  limit = std::max<int64_t>(limit, 1);
  if (num_h * num_w <= limit) return {num_h, num_w};
  const double share = std::sqrt(static_cast<double>(limit) / static_cast<double>(num_h * num_w));
  int64_t h = static_cast<int64_t>(std::floor(static_cast<double>(num_h) * share));
  h = std::clamp<int64_t>(h, 1, std::min(num_h, limit));
  const int64_t w = std::min(num_w, limit / h);
  h = std::min(num_h, limit / w);
  return {h, w};
}

std::vector<HwGear> HwGrid(const std::vector<int64_t>& heights, const std::vector<int64_t>& widths,
                           const InputShape& shape) {
  const std::vector<int64_t> hs = shape.HeightDynamic() ? heights : std::vector<int64_t>{shape.dims[kH]};
  const std::vector<int64_t> ws = shape.WidthDynamic() ? widths : std::vector<int64_t>{shape.dims[kW]};
  std::vector<HwGear> grid;
  grid.reserve(hs.size() * ws.size());
  for (int64_t h : hs)
    for (int64_t w : ws) grid.emplace_back(h, w);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

std::vector<int64_t> RangeBatchGears(RangeKind kind, const Histogram& box_counts,
                                     const ScalingConfig& config) {
  std::vector<int64_t> choices = config.batch_choices;
  std::sort(choices.begin(), choices.end());
  choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
  std::vector<int64_t> kept = choices;
  if (!box_counts.empty()) {
    const ValueRange r = RangeFor(kind, box_counts, config);
    kept.clear();
    for (int64_t c : choices)
      if (c >= r.lo && c <= r.hi) kept.push_back(c);
    // A range narrower than the gaps between choices (e.g. every image has
    // 5 boxes, choices 4 and 8) keeps fewer than the two gears a dynamic
    // batch needs. Widen with the choices nearest the range, the larger on a
    // tie since it serves more boxes in one run: 5 boxes gives {4, 8}.
    if (kept.size() < 2) {
      std::vector<int64_t> rest;
      for (int64_t c : choices)
        if (!std::binary_search(kept.begin(), kept.end(), c)) rest.push_back(c);
      auto distance = [&](int64_t c) {
        const double v = static_cast<double>(c);
        return v < r.lo ? r.lo - v : v - r.hi;
      };
      std::stable_sort(rest.begin(), rest.end(), [&](int64_t a, int64_t b) {
        const double da = distance(a), db = distance(b);
        return da != db ? da < db : a > b;
      });
      for (size_t i = 0; i < rest.size() && kept.size() < 2; ++i) kept.push_back(rest[i]);
      std::sort(kept.begin(), kept.end());
    }
  }
  return SpreadSubset(kept, kMaxGearsPerModel);
}

Result<GearSet> RangeGears(RangeKind kind, const Profile& profile, const InputShape& shape,
                           const ScalingConfig& config) {
  GearSet g;
  if (shape.BatchDynamic()) {
    g.batch = RangeBatchGears(kind, profile.batch(), config);
    const size_t need = shape.HwDynamic() ? 1 : 2;
    if (g.batch.size() < need)
      return Status::Error("key 'batch_choices': a dynamic batch needs at least " +
                           std::to_string(need) + " distinct choices, got " +
                           std::to_string(g.batch.size()));
  }
  if (shape.HwDynamic()) {
    Status ready = CheckHwPreconditions(profile, config);
    if (!ready.ok()) return ready;
    g.hw = RangeHwGears(kind, profile, shape, config);
  }
  Normalize(&g, shape);
  return g;
}

}  // namespace autoscale
