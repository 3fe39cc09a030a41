#include "stats/evaluation/evaluation.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "runtime/router.h"
#include "stats/core/gear_limits.h"

namespace autoscale {

namespace {

// The size of one static dim that fits every sample: a fixed dim keeps the
// model's value, a dynamic one is the largest sample rounded up to interval
// (capped at limit_side_len rounded up, where that applies).
int64_t StaticSide(Dim d, int64_t largest_sample, const InputShape& shape,
                   const ScalingConfig& config) {
  if (!shape.IsDynamic(d)) return shape.dims[d];
  return std::min(RoundUpToInterval(static_cast<double>(largest_sample), config.interval),
                  LimitSideCap(shape, config));
}

// Which samples a DimEvaluation counts as held: those whose height (or
// width) is at most the largest gear's of any batch model, or (kHw) those
// some gear holds in both, which the router serves unshrunk.
enum class View { kHw, kHeight, kWidth };

DimEvaluation EvaluateView(View view, const Profile& profile, const runtime::Router& router,
                           const InputShape& shape, const ScalingConfig& config) {
  DimEvaluation e;
  int64_t gear_h = 0, gear_w = 0;
  for (const runtime::BatchModel& m : router.gears().models)
    for (const runtime::Hw& g : m.hw) {
      gear_h = std::max(gear_h, g.h);
      gear_w = std::max(gear_w, g.w);
    }
  const auto holds = [&](int64_t h, int64_t w) {
    if (view == View::kHeight) return h <= gear_h;
    if (view == View::kWidth) return w <= gear_w;
    bool shrunk = false;
    router.Cover({h, w}, &shrunk);
    return !shrunk;
  };
  int64_t max_h = 0, max_w = 0;
  uint64_t held = 0;
  // Samples differing only in box count share one (h, w): test each once.
  std::map<std::pair<int64_t, int64_t>, bool> held_at;
  for (const auto& [key, n] : profile.samples()) {
    max_h = std::max(max_h, key.h);
    max_w = std::max(max_w, key.w);
    e.samples += n;
    auto [it, added] = held_at.try_emplace({key.h, key.w}, false);
    if (added) it->second = holds(key.h, key.w);
    if (it->second) held += n;
  }
  if (view != View::kWidth) e.static_height = StaticSide(kH, max_h, shape, config);
  if (view != View::kHeight) e.static_width = StaticSide(kW, max_w, shape, config);
  if (e.samples > 0) e.coverage = static_cast<double>(held) / static_cast<double>(e.samples);
  return e;
}

nlohmann::json DimJson(const DimEvaluation& e, bool height, bool width) {
  nlohmann::json j = {{"coverage", e.coverage}, {"samples", e.samples}};
  if (height) j["static_height"] = e.static_height;
  if (width) j["static_width"] = e.static_width;
  return j;
}

// The largest sample h and w of the profile.
std::pair<int64_t, int64_t> LargestSample(const Profile& profile) {
  int64_t h = 0, w = 0;
  for (const auto& [key, n] : profile.samples()) {
    h = std::max(h, key.h);
    w = std::max(w, key.w);
  }
  return {h, w};
}

// Routes every unit on `router`; fills what the routing decides.
void RouteUnits(const std::vector<RoutingUnit>& units, const runtime::Router& router,
                CostEvaluation* e) {
  const runtime::GearTable& table = router.gears();
  std::vector<std::vector<GearCost>> per_gear(table.models.size());
  for (size_t m = 0; m < table.models.size(); ++m)
    for (const runtime::Hw& g : table.models[m].hw)
      per_gear[m].push_back({table.models[m].batch, g.h, g.w, 0, 0, 0});
  runtime::RouteScratch scratch;
  std::vector<runtime::Item> items;
  // In long double: totals of large datasets in px reach 1e12 and more.
  long double total = 0, padded = 0, served = 0;
  for (const RoutingUnit& unit : units) {
    items.clear();
    uint64_t shrunk = 0;
    for (const runtime::Item& item : unit.items) {
      bool clamped = false;
      items.push_back(router.Cover(item, &clamped));
      shrunk += clamped ? 1 : 0;
      served += static_cast<long double>(items.back().h) * items.back().w * unit.count;
    }
    std::sort(items.begin(), items.end(), [](const runtime::Item& a, const runtime::Item& b) {
      return std::tie(a.w, a.h) < std::tie(b.w, b.h);
    });
    const double cost = router.RouteSorted(items.data(), items.size(), &scratch);
    total += static_cast<long double>(cost) * unit.count;
    e->calls += scratch.runs.size() * unit.count;
    e->shrunk += shrunk * unit.count;
    e->boxes += unit.items.size() * unit.count;
    for (const runtime::RunSpan& span : scratch.runs) {
      GearCost& g = per_gear[span.model][span.gear];
      g.runs += unit.count;
      g.samples += span.count * unit.count;
      g.cost += span.cost * static_cast<double>(unit.count);
      padded += static_cast<long double>(g.batch) * g.h * g.w * unit.count;
      auto& served_here = e->served[g.batch];
      for (uint32_t k = span.first; k < span.first + span.count; ++k)
        served_here[{items[k].h, items[k].w}] += unit.count;
    }
  }
  e->total = static_cast<double>(total);
  e->padding = served > 0 ? static_cast<double>(padded / served - 1) : 0;
  e->coverage = e->boxes > 0 ? 1 - static_cast<double>(e->shrunk) / e->boxes : 0;
  for (auto& list : per_gear) e->gears.insert(e->gears.end(), list.begin(), list.end());
}

}  // namespace

nlohmann::json Evaluation::ToJson() const {
  nlohmann::json j = nlohmann::json::object();
  j["cost"] = {{"total", cost.total},
               {"unit", cost.unit},
               {"calls", cost.calls},
               {"per_image", cost.per_image},
               {"per_box", cost.per_box},
               {"padding", cost.padding},
               {"saving_vs_static", cost.saving_vs_static},
               {"coverage", cost.coverage},
               {"shrunk", cost.shrunk}};
  nlohmann::json gears = nlohmann::json::array();
  for (const GearCost& g : cost.gears)
    gears.push_back({{"batch", g.batch},
                     {"h", g.h},
                     {"w", g.w},
                     {"runs", g.runs},
                     {"samples", g.samples},
                     {"cost", g.cost}});
  j["gear_cost"] = gears;
  if (height) j["height"] = DimJson(*height, true, false);
  if (width) j["width"] = DimJson(*width, false, true);
  if (hw) j["hw"] = DimJson(*hw, true, true);
  return j;
}

runtime::GearTable GearTableOf(const GearSet& gears, const InputShape& shape) {
  std::vector<int64_t> batches = shape.BatchDynamic() ? gears.batch
                                                      : std::vector<int64_t>{shape.dims[kN]};
  if (batches.empty()) batches = {1};
  runtime::GearTable table;
  for (int64_t b : batches) {
    runtime::BatchModel model;
    model.batch = b;
    for (const auto& [h, w] : gears.HwFor(b)) model.hw.push_back({h, w});
    if (model.hw.empty()) model.hw.push_back({shape.dims[kH], shape.dims[kW]});
    std::sort(model.hw.begin(), model.hw.end(), [](const runtime::Hw& a, const runtime::Hw& b) {
      return std::tie(a.h, a.w) < std::tie(b.h, b.w);
    });
    table.models.push_back(std::move(model));
  }
  return table;
}

GearSet StaticGearSet(const Profile& profile, const GearSet& chosen, const InputShape& shape,
                      const ScalingConfig& config) {
  GearSet g;
  if (shape.BatchDynamic()) {
    int64_t b = profile.HasBatchInfo() ? profile.batch().Max()
                                       : (chosen.batch.empty() ? 1 : chosen.batch.back());
    g.batch = {std::clamp<int64_t>(b, 1, kMaxBatchGear)};
  }
  if (shape.HwDynamic()) {
    const auto [h, w] = LargestSample(profile);
    g.hw = {{StaticSide(kH, h, shape, config), StaticSide(kW, w, shape, config)}};
  }
  Normalize(&g, shape);
  return g;
}

Evaluation Evaluate(const Profile& profile, const GearSet& gears, const InputShape& shape,
                    const ScalingConfig& config) {
  Evaluation e;
  const runtime::CostModel model = CostModelOf(config);
  const std::vector<RoutingUnit> units = profile.RoutingUnits();
  e.cost.unit = model.unit();
  const runtime::Router router(GearTableOf(gears, shape), model);
  RouteUnits(units, router, &e.cost);
  for (const RoutingUnit& u : units) e.cost.images += u.count;
  // An image folder routes as one unit; its images are its samples.
  if (!profile.HasBatchInfo()) e.cost.images = e.cost.boxes;
  if (e.cost.images > 0) e.cost.per_image = e.cost.total / static_cast<double>(e.cost.images);
  if (e.cost.boxes > 0) e.cost.per_box = e.cost.total / static_cast<double>(e.cost.boxes);
  CostEvaluation fixed;
  RouteUnits(units,
             runtime::Router(GearTableOf(StaticGearSet(profile, gears, shape, config), shape),
                             model),
             &fixed);
  e.cost.static_total = fixed.total;
  if (fixed.total > 0) e.cost.saving_vs_static = 1 - e.cost.total / fixed.total;

  if (!shape.HwDynamic()) return e;
  if (shape.HeightDynamic()) e.height = EvaluateView(View::kHeight, profile, router, shape, config);
  if (shape.WidthDynamic()) e.width = EvaluateView(View::kWidth, profile, router, shape, config);
  e.hw = EvaluateView(View::kHw, profile, router, shape, config);
  return e;
}

}  // namespace autoscale
