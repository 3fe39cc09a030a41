#include "stats/strategies/strategy_optimal.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "stats/solvers/optimal_1d.h"
#include "stats/solvers/optimal_batch.h"
#include "stats/solvers/optimal_pairs.h"
#include "stats/core/gear_limits.h"
#include "stats/strategies/optimal_joint.h"
#include "stats/strategies/range_strategies.h"

namespace autoscale {

namespace {

// The samples that must fit a gear unshrunk: the coverage target, but never
// more than the bounds let any gear hold (a sample wider than width_range
// is shrunk whatever the gears are).
double RequiredHeld(double total, double holdable, const ScalingConfig& config) {
  return std::min(holdable, std::ceil(config.optimal_coverage * total - 1e-6));
}

Status OneGearOnly(Dim d, int64_t value) {
  return Status::Error(std::string("key '") + (d == kH ? "height_range" : "width_range") +
                       "': only the gear " + std::to_string(value) +
                       " is allowed; a dynamic model needs at least 2");
}

// One dynamic dim: exact.
Result<std::vector<int64_t>> OneDimGears(const Histogram& hist, Dim d, const InputShape& shape,
                                         const ScalingConfig& config) {
  const GearBounds bounds = GearBoundsFor(d, shape, config);
  const int64_t lo = bounds.GearLo(config.interval), hi = bounds.GearHi(config.interval);
  std::map<int64_t, double> per_gear;
  double overflow = 0;
  for (const auto& [v, n] : hist.counts()) {
    const int64_t g = bounds.GearFor(v, config.interval);
    if (g == 0) {
      overflow += static_cast<double>(n);
    } else {
      per_gear[g] += static_cast<double>(n);
    }
  }
  OneDimProblem p;
  for (const auto& [g, n] : per_gear) {
    p.values.push_back(g);
    p.weights.push_back(n);
  }
  p.overflow_weight = p.overflow_count = overflow;
  const double total = static_cast<double>(hist.Count());
  p.min_held = RequiredHeld(total, total - overflow, config);
  p.max_gears = HwGearLimit(config);
  if (p.values.empty()) {
    // Nothing fits any allowed gear: everything is shrunk into the largest,
    // so the smallest allowed pair of gears is the cheapest.
    if (lo == hi) return OneGearOnly(d, lo);
    return std::vector<int64_t>{lo, lo + config.interval};
  }
  OneDimSolution s = SolveOneDim(p);
  if (s.gears.size() >= 2) return s.gears;
  // One gear: a second one below it never costs anything (it can only
  // serve some samples more cheaply), so that is still the optimum.
  const int64_t top = s.gears.front();
  if (top - config.interval >= lo) return std::vector<int64_t>{top - config.interval, top};
  // The one gear is the smallest allowed value: the best set with a higher
  // top, or that gear with the next value above it (which only the shrunk
  // samples would notice).
  std::vector<int64_t> best;
  double best_cost = 0;
  if (top + config.interval <= hi) {
    best = {top, top + config.interval};
    best_cost = OneDimCost(p, best);
  }
  p.min_top_index = 1;
  if (p.values.size() >= 2) {
    OneDimSolution higher = SolveOneDim(p);
    if (higher.feasible && (best.empty() || higher.cost < best_cost)) best = higher.gears;
  }
  if (best.empty()) return OneGearOnly(d, top);
  return best;
}

// H and W both dynamic: free pairs.
Result<std::vector<HwGear>> PairGears(const PairCounts& pairs, const InputShape& shape,
                                      const ScalingConfig& config) {
  const GearBounds hb = GearBoundsFor(kH, shape, config), wb = GearBoundsFor(kW, shape, config);
  PairProblem p;
  std::map<HwGear, double> per_cell;
  double total = 0;
  for (const auto& [hw, n] : pairs) {
    total += static_cast<double>(n);
    const int64_t h = hb.GearFor(hw.first, config.interval);
    const int64_t w = wb.GearFor(hw.second, config.interval);
    if (h == 0 || w == 0) {
      p.overflow += static_cast<double>(n);
    } else {
      per_cell[{h, w}] += static_cast<double>(n);
    }
  }
  for (const auto& [hw, n] : per_cell) p.cells.push_back({hw.first, hw.second, n});
  p.min_held = RequiredHeld(total, total - p.overflow, config);
  p.max_gears = HwGearLimit(config);
  p.interval = config.interval;
  p.lo_h = hb.GearLo(config.interval);
  p.lo_w = wb.GearLo(config.interval);
  p.hi_h = hb.GearHi(config.interval);
  p.hi_w = wb.GearHi(config.interval);
  PairSolution s = SolvePairs(p);
  if (s.gears.size() < 2)
    return Status::Error("keys 'height_range' and 'width_range': only the gear (" +
                         std::to_string(hb.GearLo(config.interval)) + ", " +
                         std::to_string(wb.GearLo(config.interval)) +
                         ") is allowed; a dynamic model needs at least 2");
  return s.gears;
}

// The (h, w) gears for samples with these marginals.
Result<std::vector<HwGear>> HwGears(const Histogram& heights, const Histogram& widths,
                                    const PairCounts& pairs, const InputShape& shape,
                                    const ScalingConfig& config) {
  if (shape.HeightDynamic() && shape.WidthDynamic()) return PairGears(pairs, shape, config);
  const Dim d = shape.HeightDynamic() ? kH : kW;
  auto gears = OneDimGears(d == kH ? heights : widths, d, shape, config);
  if (!gears.ok()) return gears.status();
  std::vector<HwGear> hw;
  for (int64_t g : *gears)
    hw.emplace_back(d == kH ? g : shape.dims[kH], d == kW ? g : shape.dims[kW]);
  return hw;
}

// The batch gears a search may choose from and how many it may choose.
struct BatchSpace {
  std::vector<int64_t> choices;     // batch_choices, ascending and distinct
  std::vector<int64_t> candidates;  // choices, or 1..2048 for "any"
  int64_t budget = 0;
  int64_t need = 1;  // the fewest a dynamic batch needs
};

Result<BatchSpace> BatchSpaceFor(const InputShape& shape, const ScalingConfig& config) {
  BatchSpace out;
  out.choices = config.batch_choices;
  std::sort(out.choices.begin(), out.choices.end());
  out.choices.erase(std::unique(out.choices.begin(), out.choices.end()), out.choices.end());
  out.budget = config.optimal_max_batch_num > 0 ? config.optimal_max_batch_num
                                                : static_cast<int64_t>(out.choices.size());
  out.budget = std::min(out.budget, kMaxGearsPerModel);
  out.need = shape.HwDynamic() ? 1 : 2;
  if (out.budget < out.need && config.optimal_max_batch_num > 0)
    return Status::Error("key 'optimal.max_batch_num': " + std::to_string(out.budget) +
                         " batch gear(s) allowed; a dynamic batch needs at least " +
                         std::to_string(out.need));
  // Without optimal.max_batch_num the budget is the number of batch_choices.
  if (out.budget < out.need)
    return Status::Error("key 'batch_choices': a dynamic batch needs at least " +
                         std::to_string(out.need) + " distinct choices, got " +
                         std::to_string(out.choices.size()));
  if (config.optimal_batch_candidates == "any") {
    for (int64_t b = 1; b <= kMaxBatchGear; ++b) out.candidates.push_back(b);
  } else {
    out.candidates = out.choices;
  }
  return out;
}

// The largest box count the coverage target asks the top batch gear to
// hold: images run in one run (k <= the largest gear) must be at least that
// share, and the ones left to split are those with the most boxes.
int64_t TopBoxCount(const std::map<int64_t, uint64_t>& box_counts,
                    const std::vector<int64_t>& candidates, const ScalingConfig& config) {
  double images = 0, holdable = 0;
  for (const auto& [k, n] : box_counts) {
    if (k <= 0) continue;
    images += static_cast<double>(n);
    if (k <= candidates.back()) holdable += static_cast<double>(n);
  }
  const double need = RequiredHeld(images, holdable, config);
  if (need <= 0) return 0;
  double held = 0;
  for (const auto& [k, n] : box_counts) {
    if (k <= 0) continue;
    held += static_cast<double>(n);
    if (held >= need - 1e-6) return k;
  }
  return 0;
}

Result<std::vector<int64_t>> BatchGears(const Profile& profile, const InputShape& shape,
                                        const ScalingConfig& config) {
  auto space = BatchSpaceFor(shape, config);
  if (!space.ok()) return space.status();
  const int64_t budget = space->budget, need = space->need;
  if (!profile.HasBatchInfo()) {
    // An image folder says nothing about batches: the choices as they are.
    std::vector<int64_t> gears = SpreadSubset(space->choices, budget);
    if (static_cast<int64_t>(gears.size()) < need)
      return Status::Error("key 'batch_choices': a dynamic batch needs at least " +
                           std::to_string(need) + " distinct choices, got " +
                           std::to_string(gears.size()));
    return gears;
  }
  BatchProblem p;
  p.box_counts = profile.batch().counts();
  p.candidates = space->candidates;
  p.max_gears = budget;
  p.min_gears = need;
  // The coverage target counts images run in one go (k <= largest gear).
  double images = 0, holdable = 0;
  for (const auto& [k, n] : p.box_counts) {
    if (k <= 0) continue;
    images += static_cast<double>(n);
    if (k <= p.candidates.back()) holdable += static_cast<double>(n);
  }
  p.min_single_run = RequiredHeld(images, holdable, config);
  BatchSolution s = SolveBatch(p);
  if (!s.feasible)
    return Status::Error("key 'batch_choices': a dynamic batch needs at least " +
                         std::to_string(need) + " distinct choices, got " +
                         std::to_string(p.candidates.size()));
  return s.gears;
}

// The values a gear of dim `d` may take: every multiple of interval within
// the bounds, or the model's value for a fixed dim.
std::vector<int64_t> AllowedValues(Dim d, const InputShape& shape, const ScalingConfig& config) {
  const bool dynamic = d == kH ? shape.HeightDynamic() : shape.WidthDynamic();
  if (!dynamic) return {shape.dims[d]};
  const GearBounds b = GearBoundsFor(d, shape, config);
  std::vector<int64_t> out;
  for (int64_t v = b.GearLo(config.interval); v <= b.GearHi(config.interval); v += config.interval)
    out.push_back(v);
  return out;
}

// N and H/W dynamic with box counts and full coverage: the batch gears and
// each one's (h, w) gears searched together for the routed cost
// (optimal_joint.h), started from the box-count optimum `seed`. An empty
// result when the search finds nothing.
JointSolution JointGears(const Profile& profile, const InputShape& shape,
                         const ScalingConfig& config, const BatchSpace& space,
                         const std::vector<int64_t>& seed) {
  JointProblem p;
  p.units = JointUnitsOf(profile);
  p.batch_candidates = space.candidates;
  p.min_batch_gears = space.need;
  p.max_batch_gears = space.budget;
  p.min_top_batch = TopBoxCount(profile.batch().counts(), space.candidates, config);
  p.max_hw_gears = HwGearLimit(config);
  p.min_hw_gears = 2;
  p.h_values = AllowedValues(kH, shape, config);
  p.w_values = AllowedValues(kW, shape, config);
  p.cost = CostModelOf(config);
  p.batch_seeds = {seed};
  return SolveJoint(p);
}

}  // namespace

std::vector<JointUnit> JointUnitsOf(const Profile& profile) {
  std::vector<JointUnit> units;
  for (RoutingUnit& u : profile.RoutingUnits())
    units.push_back({std::move(u.items), static_cast<double>(u.count)});
  return units;
}

Result<GearSet> OptimalGears(const Profile& profile, const InputShape& shape,
                             const ScalingConfig& config) {
  GearSet g;
  if (shape.IsStatic()) return g;
  if (shape.BatchDynamic()) {
    auto batch = BatchGears(profile, shape, config);
    if (!batch.ok()) return batch.status();
    g.batch = std::move(*batch);
  }
  if (shape.HwDynamic()) {
    if (HwGearLimit(config) < 2)
      return Status::Error("key 'max_scaling_num': " + std::to_string(config.max_scaling_num) +
                           " allows a single gear; a dynamic model needs at least 2");
    if (profile.SampleCount() == 0)
      return Status::Error("the profile has no samples to derive height/width gears from");
    auto hw = HwGears(profile.Heights(), profile.Widths(), profile.Pairs(), shape, config);
    if (!hw.ok()) return hw.status();
    g.hw = std::move(*hw);
    // With full coverage each batch gear is a model of its own with the
    // (h, w) gears the joint search gives it; below full coverage every
    // batch model keeps `hw`, the gears chosen for all samples.
    if (shape.BatchDynamic() && profile.HasBatchInfo() && config.optimal_coverage >= 1) {
      auto space = BatchSpaceFor(shape, config);
      if (!space.ok()) return space.status();
      JointSolution joint = JointGears(profile, shape, config, *space, g.batch);
      if (joint.feasible) {
        g.batch = joint.batch;
        g.hw_per_batch = std::move(joint.hw);
      }
    }
  }
  Normalize(&g, shape);
  return g;
}

std::vector<std::pair<int64_t, double>> OptimalCostCurve(const Profile& profile,
                                                         const InputShape& shape,
                                                         const ScalingConfig& config,
                                                         const std::vector<int64_t>& batch) {
  if (!shape.HwDynamic() || profile.SampleCount() == 0 || HwGearLimit(config) < 1) return {};
  JointProblem p;
  p.units = JointUnitsOf(profile);
  if (shape.BatchDynamic() && !batch.empty())
    p.batch_candidates = batch;
  else
    p.batch_candidates = {shape.BatchDynamic() ? int64_t{1} : shape.dims[kN]};
  p.min_batch_gears = p.max_batch_gears = static_cast<int64_t>(p.batch_candidates.size());
  p.max_hw_gears = HwGearLimit(config);
  p.min_hw_gears = 1;
  p.h_values = AllowedValues(kH, shape, config);
  p.w_values = AllowedValues(kW, shape, config);
  p.cost = CostModelOf(config);
  return JointCostCurve(p);
}

}  // namespace autoscale
