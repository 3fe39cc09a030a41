#include "stats/evaluation/evaluation.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "runtime/router.h"
#include "stats/core/gear_limits.h"
#include "stats/evaluation/gear_usage.h"

namespace autoscale {

namespace {

// Which view of a sample an evaluation takes: the (h, w) shape, or one dim
// alone (the other set to 1, so a gear's compute is that dim).
enum class View { kHw, kHeight, kWidth };

HwGear Project(View view, int64_t h, int64_t w) {
  switch (view) {
    case View::kHeight: return {h, 1};
    case View::kWidth: return {1, w};
    default: return {h, w};
  }
}

// Answers "the compute of the cheapest gear that holds (h, w)" in two binary
// searches. Samples are grouped into bands by the first gear height >= h:
// every sample in a band may use the same gears (those at least that tall),
// so per band the gears sorted by width with a suffix minimum of compute
// answer any width.
class CheapestGear {
 public:
  explicit CheapestGear(std::vector<HwGear> gears) {
    std::sort(gears.begin(), gears.end());
    gears.erase(std::unique(gears.begin(), gears.end()), gears.end());
    for (const auto& [h, w] : gears) {
      if (heights_.empty() || heights_.back() != h) heights_.push_back(h);
      largest_ = std::max(largest_, h * w);
    }
    for (int64_t band_h : heights_) {
      std::vector<std::pair<int64_t, int64_t>> band;  // (width, compute)
      for (const auto& [h, w] : gears)
        if (h >= band_h) band.emplace_back(w, h * w);
      std::sort(band.begin(), band.end());
      for (size_t i = band.size() - 1; i-- > 0;)
        band[i].second = std::min(band[i].second, band[i + 1].second);
      bands_.push_back(std::move(band));
    }
  }

  // 0 when no gear holds (h, w).
  int64_t Compute(int64_t h, int64_t w) const {
    auto hit = std::lower_bound(heights_.begin(), heights_.end(), h);
    if (hit == heights_.end()) return 0;
    const auto& band = bands_[hit - heights_.begin()];
    auto wit = std::lower_bound(band.begin(), band.end(), std::make_pair(w, int64_t{0}));
    return wit == band.end() ? 0 : wit->second;
  }
  // The compute of the largest gear, which serves what nothing holds.
  int64_t Largest() const { return largest_; }

 private:
  std::vector<int64_t> heights_;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> bands_;
  int64_t largest_ = 0;
};

// The gears that serve a sample of a given box count: with hw_per_batch, the
// (h, w) gears of each batch model that runs the image's boxes, with the
// share it runs (BatchModelShares); otherwise `hw` for all.
class GearsByBatch {
 public:
  struct Part {
    const CheapestGear* gears;
    double share;
  };

  GearsByBatch(const GearSet& gears, const InputShape& shape, View view) {
    fallback_ = Build(gears.hw, view);
    if (!shape.BatchDynamic() || gears.hw_per_batch.empty()) return;
    batch_ = gears.batch;
    for (int64_t b : gears.batch) per_batch_[b] = Build(gears.HwFor(b), view);
  }

  std::vector<Part> For(int64_t box_count) const {
    // Box count 0: an image folder, whose samples carry no batch.
    if (per_batch_.empty() || box_count <= 0) return {{fallback_.get(), 1.0}};
    std::vector<Part> parts;
    for (const BatchShare& to : BatchModelShares(box_count, batch_))
      parts.push_back({per_batch_.at(to.gear).get(), to.share});
    return parts;
  }

 private:
  static std::unique_ptr<CheapestGear> Build(const std::vector<HwGear>& list, View view) {
    std::vector<HwGear> projected;
    for (const auto& [h, w] : list) projected.push_back(Project(view, h, w));
    return std::make_unique<CheapestGear>(std::move(projected));
  }

  std::unique_ptr<CheapestGear> fallback_;
  std::vector<int64_t> batch_;
  std::map<int64_t, std::unique_ptr<CheapestGear>> per_batch_;
};

// The size of one static dim that fits every sample: a fixed dim keeps the
// model's value, a dynamic one is the largest sample rounded up to interval
// (capped at limit_side_len rounded up, where that applies).
int64_t StaticSide(Dim d, int64_t largest_sample, const InputShape& shape,
                   const ScalingConfig& config) {
  if (!shape.IsDynamic(d)) return shape.dims[d];
  return std::min(RoundUpToInterval(static_cast<double>(largest_sample), config.interval),
                  LimitSideCap(shape, config));
}

// The profile's samples in a flat array: each view walks them once, and an
// array walks faster than the map's nodes.
using SampleList = std::vector<std::pair<SampleKey, uint64_t>>;

DimEvaluation EvaluateView(View view, const SampleList& samples, const GearSet& gears,
                           const InputShape& shape, const ScalingConfig& config) {
  DimEvaluation e;
  const GearsByBatch by_batch(gears, shape, view);
  int64_t max_h = 0, max_w = 0;
  long double covered = 0, served = 0, needed = 0;
  // Samples come sorted by box count: route each count once.
  int64_t routed = -1;
  std::vector<GearsByBatch::Part> parts;
  for (const auto& [key, n] : samples) {
    if (key.batch != routed) {
      parts = by_batch.For(key.batch);
      routed = key.batch;
    }
    max_h = std::max(max_h, key.h);
    max_w = std::max(max_w, key.w);
    const auto [h, w] = Project(view, key.h, key.w);
    // In long double: a sample from a hand-edited profile may be huge.
    const long double size = static_cast<long double>(h) * w;
    // Whole counts where every model holds the sample: shares need not sum
    // to exactly 1 in floating point.
    long double held = 0;
    bool all_held = true;
    for (const auto& [index, share] : parts) {
      long double compute = static_cast<long double>(index->Compute(h, w));
      const long double part = static_cast<long double>(n) * share;
      if (compute > 0) {
        held += part;
      } else {
        all_held = false;
        // Shrunk into the largest gear; with no gear at all, counted at its
        // own size so the figures stay finite.
        compute = index->Largest() > 0 ? static_cast<long double>(index->Largest()) : size;
      }
      served += compute * part;
    }
    covered += all_held ? static_cast<long double>(n) : held;
    e.samples += n;
    needed += size * n;
  }
  if (view != View::kWidth) e.static_height = StaticSide(kH, max_h, shape, config);
  if (view != View::kHeight) e.static_width = StaticSide(kW, max_w, shape, config);
  if (e.samples == 0) return e;
  const auto [sh, sw] = Project(view, e.static_height, e.static_width);
  const long double static_total = static_cast<long double>(sh) * sw * e.samples;
  e.coverage = static_cast<double>(covered / e.samples);
  e.overhead = static_cast<double>(served / needed - 1);
  e.saving_vs_static = static_cast<double>(1 - served / static_total);
  return e;
}

// The one static batch size that serves every image in a single run: the
// largest box count, within the 2048 converters accept.
uint64_t StaticBatch(const Histogram& box_counts) {
  int64_t most = 0;
  for (const auto& [count, n] : box_counts.counts())
    if (n > 0) most = std::max(most, count);
  return static_cast<uint64_t>(std::min<int64_t>(most, kMaxBatchGear));
}

BatchEvaluation EvaluateBatch(const Histogram& box_counts, std::vector<int64_t> batch) {
  BatchEvaluation e;
  std::sort(batch.begin(), batch.end());
  const uint64_t largest = static_cast<uint64_t>(batch.back());
  const std::vector<int64_t> fixed = {static_cast<int64_t>(std::max<uint64_t>(StaticBatch(box_counts), 1))};
  uint64_t covered = 0, static_slots = 0;
  for (const auto& [count, n] : box_counts.counts()) {
    e.images += n;
    if (count <= 0) {  // no box, no run
      covered += n;
      continue;
    }
    const uint64_t k = static_cast<uint64_t>(count);
    e.boxes += k * n;
    static_slots += RunsFor(count, fixed).Slots() * n;
    if (k <= largest) covered += n;
    const BoxRuns r = RunsFor(count, batch);
    e.runs += r.Runs() * n;
    e.slots += r.Slots() * n;
  }
  if (e.images > 0) e.coverage = static_cast<double>(covered) / static_cast<double>(e.images);
  if (e.boxes > 0) e.overhead = static_cast<double>(e.slots) / static_cast<double>(e.boxes) - 1;
  if (static_slots > 0)
    e.saving_vs_static = 1 - static_cast<double>(e.slots) / static_cast<double>(static_slots);
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
  RouteUnits(units, runtime::Router(GearTableOf(gears, shape), model), &e.cost);
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

  // An image folder has no box counts: its batch gears are the configured
  // choices and there is nothing to measure them against.
  if (shape.BatchDynamic() && profile.HasBatchInfo() && !gears.batch.empty())
    e.batch = EvaluateBatch(profile.batch(), gears.batch);
  if (!shape.HwDynamic()) return e;
  const SampleList samples(profile.samples().begin(), profile.samples().end());
  if (shape.HeightDynamic()) e.height = EvaluateView(View::kHeight, samples, gears, shape, config);
  if (shape.WidthDynamic()) e.width = EvaluateView(View::kWidth, samples, gears, shape, config);
  e.hw = EvaluateView(View::kHw, samples, gears, shape, config);
  return e;
}

}  // namespace autoscale
