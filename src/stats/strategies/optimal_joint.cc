#include "stats/strategies/optimal_joint.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

#include "runtime/gear_table.h"
#include "runtime/router.h"
#include "stats/core/gear_limits.h"
#include "stats/solvers/optimal_1d.h"

namespace autoscale {

namespace {

using runtime::Item;

constexpr double kInf = std::numeric_limits<double>::infinity();
// The gear budget of the widest start (the converters' limit per model).
constexpr int64_t kWideBudget = 100;
// Runs of more distinct values than this re-choose every model's gears at
// once, for its own runs (O(n log n)), instead of one beside the others
// (O(n^2)).
constexpr size_t kMaxBesideValues = 128;

// The units as the search routes them: items rounded up to allowed values
// (clamped to the largest) and sorted by (w, h), identical units merged,
// stored flat.
struct Units {
  std::vector<Item> items;
  std::vector<size_t> begin;  // unit u is items[begin[u], begin[u + 1])
  std::vector<double> weight;
  size_t size() const { return weight.size(); }
};

// The smallest allowed value >= v, or the largest.
int64_t RoundUp(const std::vector<int64_t>& values, int64_t v) {
  auto it = std::lower_bound(values.begin(), values.end(), v);
  return it == values.end() ? values.back() : *it;
}

bool ItemLess(const Item& a, const Item& b) { return std::tie(a.w, a.h) < std::tie(b.w, b.h); }
bool ItemEqual(const Item& a, const Item& b) { return a.h == b.h && a.w == b.w; }

Units PrepareUnits(const JointProblem& p) {
  std::vector<std::vector<Item>> rounded;
  std::vector<double> weights;
  for (const JointUnit& u : p.units) {
    if (u.items.empty() || !(u.weight > 0)) continue;
    std::vector<Item> items;
    items.reserve(u.items.size());
    for (const Item& it : u.items)
      items.push_back({RoundUp(p.h_values, it.h), RoundUp(p.w_values, it.w)});
    std::sort(items.begin(), items.end(), ItemLess);
    rounded.push_back(std::move(items));
    weights.push_back(u.weight);
  }
  std::vector<uint32_t> order(rounded.size());
  std::iota(order.begin(), order.end(), 0u);
  auto less = [&](uint32_t a, uint32_t b) {
    const auto& x = rounded[a];
    const auto& y = rounded[b];
    if (x.size() != y.size()) return x.size() < y.size();
    return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                        [](const Item& i, const Item& j) {
                                          return std::tie(i.w, i.h) < std::tie(j.w, j.h);
                                        });
  };
  std::stable_sort(order.begin(), order.end(), less);
  Units out;
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& items = rounded[order[k]];
    const bool same = k > 0 && rounded[order[k - 1]].size() == items.size() &&
                      std::equal(items.begin(), items.end(), rounded[order[k - 1]].begin(),
                                 ItemEqual);
    if (same) {
      out.weight.back() += weights[order[k]];
      continue;
    }
    out.begin.push_back(out.items.size());
    out.items.insert(out.items.end(), items.begin(), items.end());
    out.weight.push_back(weights[order[k]]);
  }
  out.begin.push_back(out.items.size());
  return out;
}

// About `limit` units drawn by systematic sampling over the cumulative
// weight (deterministic), each weighing the sampling step, so every total
// keeps its scale. All units when there are at most `limit`.
Units SampleUnits(const Units& all, int64_t limit) {
  if (limit <= 0 || static_cast<int64_t>(all.size()) <= limit) return all;
  const double total = std::accumulate(all.weight.begin(), all.weight.end(), 0.0);
  const double step = total / static_cast<double>(limit);
  Units out;
  double next = step / 2, cum = 0;
  for (size_t u = 0; u < all.size(); ++u) {
    cum += all.weight[u];
    double w = 0;
    while (next < cum) {
      w += step;
      next += step;
    }
    if (w == 0) continue;
    out.begin.push_back(out.items.size());
    out.items.insert(out.items.begin() + static_cast<std::ptrdiff_t>(out.items.size()),
                     all.items.begin() + static_cast<std::ptrdiff_t>(all.begin[u]),
                     all.items.begin() + static_cast<std::ptrdiff_t>(all.begin[u + 1]));
    out.weight.push_back(w);
  }
  out.begin.push_back(out.items.size());
  return out;
}

// Weights by key, sparse: (key, weight) ascending by key.
using Weights = std::vector<std::pair<uint64_t, double>>;

Weights SortedWeights(const std::unordered_map<uint64_t, double>& sums) {
  Weights out(sums.begin(), sums.end());
  std::sort(out.begin(), out.end());
  return out;
}

// The runs one routing made, per model (index-aligned with State::batch).
struct Groups {
  // Weight by the gear cell the run needs: h index * w values + w index.
  std::vector<Weights> cell;
  // One varying dim only: the weight of all runs by that dim's value index
  // and run length, index * (largest batch + 1) + length.
  Weights sized;
};

// Batch gears and each one's (h, w) gears (index-aligned, ascending).
struct State {
  std::vector<int64_t> batch;
  std::vector<std::vector<HwGear>> hw;
  double cost = kInf;
  std::vector<double> served;  // per model, the weight of the runs it serves
};

class Search {
 public:
  // `p`'s lists must not be empty.
  Search(const JointProblem& p, const JointOptions& o) : p_(p), o_(o) {
    nh_ = p.h_values.size();
    nw_ = p.w_values.size();
    int64_t g = 0;
    for (int64_t v : p.h_values) g = std::gcd(g, v);
    for (int64_t v : p.w_values) g = std::gcd(g, v);
    interval_ = std::max<int64_t>(1, g);
    all_ = PrepareUnits(p);
    if (o.max_search_units > 0 && static_cast<int64_t>(all_.size()) > o.max_search_units) {
      sampled_ = SampleUnits(all_, o.max_search_units);
      search_ = &sampled_;
    } else {
      search_ = &all_;
    }
  }

  const Units& all() const { return all_; }
  const Units& search_units() const { return *search_; }

  // The total routed cost of `units` on `s`'s gears; with `groups`, the
  // runs each model serves too.
  double Route(const Units& units, const State& s, Groups* groups) const {
    runtime::GearTable table;
    std::vector<size_t> model_of;  // table model -> state index
    for (size_t m = 0; m < s.batch.size(); ++m) {
      if (s.hw[m].empty()) continue;
      runtime::BatchModel bm;
      bm.batch = s.batch[m];
      for (const HwGear& g : s.hw[m]) bm.hw.push_back({g.first, g.second});
      table.models.push_back(std::move(bm));
      model_of.push_back(m);
    }
    if (table.models.empty()) return kInf;
    runtime::Router router(std::move(table), p_.cost);
    std::vector<std::unordered_map<uint64_t, double>> cell(groups ? s.batch.size() : 0);
    std::unordered_map<uint64_t, double> sized;
    const uint64_t lengths = static_cast<uint64_t>(s.batch.back() + 1);
    runtime::RouteScratch scratch;
    double total = 0;
    for (size_t u = 0; u < units.size(); ++u) {
      const Item* items = units.items.data() + units.begin[u];
      const size_t n = units.begin[u + 1] - units.begin[u];
      const double c = router.RouteSorted(items, n, &scratch);
      if (!(c < kInf)) return kInf;
      total += units.weight[u] * c;
      if (!groups) continue;
      for (const runtime::RunSpan& run : scratch.runs) {
        int64_t max_h = 0;
        for (uint32_t i = run.first; i < run.first + run.count; ++i)
          max_h = std::max(max_h, items[i].h);
        const int64_t max_w = items[run.first + run.count - 1].w;
        const size_t hi = IndexOf(p_.h_values, max_h), wi = IndexOf(p_.w_values, max_w);
        const size_t m = model_of[run.model];
        cell[m][hi * nw_ + wi] += units.weight[u];
        if (OneDim()) sized[(hi + wi) * lengths + run.count] += units.weight[u];
      }
    }
    if (groups) {
      groups->cell.clear();
      for (const auto& c : cell) groups->cell.push_back(SortedWeights(c));
      groups->sized = SortedWeights(sized);
    }
    return total;
  }

  // The best (h, w) gears, at most `budget`, for groups (by value index)
  // served by batch `b`; empty when there are none.
  std::vector<HwGear> BestGears(const Weights& groups, int64_t b, int64_t budget) const {
    double total = 0;
    for (const auto& kw : groups) total += kw.second;
    if (!(total > 0)) return {};
    if (nh_ == 1 || nw_ == 1) {
      const bool by_w = nh_ == 1;
      OneDimProblem one;
      for (const auto& [i, w] : groups) {  // one of the dims has a single value
        if (!(w > 0)) continue;
        const int64_t h = by_w ? p_.h_values[0] : p_.h_values[i];
        const int64_t wv = by_w ? p_.w_values[i] : p_.w_values[0];
        one.values.push_back(by_w ? wv : h);
        one.weights.push_back(w);
        one.unit_costs.push_back(p_.cost.Cost(b, h, wv));
      }
      one.min_held = total;
      one.max_gears = budget;
      OneDimSolution s = SolveOneDim(one);
      std::vector<HwGear> out;
      for (int64_t v : s.gears)
        out.emplace_back(by_w ? p_.h_values[0] : v, by_w ? v : p_.w_values[0]);
      return out;
    }
    PairProblem pp;
    for (const auto& [key, w] : groups)
      if (w > 0) pp.cells.push_back({p_.h_values[key / nw_], p_.w_values[key % nw_], w});
    pp.min_held = total;
    pp.max_gears = budget;
    pp.interval = interval_;
    pp.lo_h = p_.h_values.front();
    pp.hi_h = p_.h_values.back();
    pp.lo_w = p_.w_values.front();
    pp.hi_w = p_.w_values.back();
    PairSolution s = SolvePairs(pp);
    return s.gears;
  }

  // The gears best when every item runs alone on the smallest batch.
  std::vector<HwGear> AloneGearsOf(const Units& units, int64_t budget) const {
    std::unordered_map<uint64_t, double> groups;
    for (size_t u = 0; u < units.size(); ++u)
      for (size_t i = units.begin[u]; i < units.begin[u + 1]; ++i)
        groups[IndexOf(p_.h_values, units.items[i].h) * nw_ +
               IndexOf(p_.w_values, units.items[i].w)] += units.weight[u];
    return BestGears(SortedWeights(groups), p_.batch_candidates.front(), budget);
  }
  // AloneGearsOf, remembered.
  const std::vector<HwGear>& AloneGears(const Units& units, int64_t budget) {
    const auto key = std::make_pair(&units, budget);
    auto found = alone_.find(key);
    if (found != alone_.end()) return found->second;
    return alone_[key] = AloneGearsOf(units, budget);
  }

  bool OneDim() const { return nh_ == 1 || nw_ == 1; }

  // Cheaper; at the same cost (a batch model no run uses costs nothing) the
  // smaller largest batch gear, then fewer gears, then the smaller ones.
  static bool Better(const State& a, const State& b) {
    if (!(b.cost < kInf) || b.batch.empty()) return a.cost < kInf;
    if (!(a.cost < kInf)) return false;
    const double eps = 1e-12 * std::fabs(b.cost);
    if (a.cost < b.cost - eps) return true;
    if (!(a.cost <= b.cost + eps)) return false;
    return std::make_tuple(a.batch.back(), a.batch.size(), a.batch) <
           std::make_tuple(b.batch.back(), b.batch.size(), b.batch);
  }

  int64_t MaxEvaluations() const {
    return OneDim() ? o_.max_evaluations : std::min(o_.max_evaluations, o_.max_pair_evaluations);
  }

  // The distinct values the runs of `sized` need.
  static size_t DistinctValues(const Weights& sized, const State& s) {
    const uint64_t lengths = static_cast<uint64_t>(s.batch.back() + 1);
    size_t n = 0;
    uint64_t last = UINT64_MAX;
    for (const auto& kw : sized)
      if (kw.first / lengths != last) {
        last = kw.first / lengths;
        ++n;
      }
    return n;
  }

  // The gear cell of varying-dim value index `v`.
  std::pair<int64_t, int64_t> CellOf(size_t v) const {
    return nh_ == 1 ? std::make_pair(p_.h_values[0], p_.w_values[v])
                    : std::make_pair(p_.h_values[v], p_.w_values[0]);
  }

  // One varying dim: the best gears of model `m` of `s` given the others'.
  // Every run of the current routing (of length L, its largest value v)
  // can be served by model m in ceil(L / batch) calls of a gear holding v,
  // or by another model in ceil(L / its batch) calls of its cheapest gear
  // holding v; each takes the cheaper. That bounds the routed cost of the
  // gears from above and equals the current cost for m's current gears, so
  // the routed cost of the gears chosen never exceeds the current one.
  // Exact over gear sets for that bound by dynamic programming on the run
  // values, O(budget * n^2).
  std::vector<HwGear> BestGearsBeside(const State& s, size_t m, const Weights& sized,
                                      int64_t budget) const {
    const size_t lengths = static_cast<size_t>(s.batch.back() + 1);
    // Per other model: its gears' varying-dim value indices ascending, and
    // from each position on the cheapest call; hold(m2, v) looks it up.
    std::vector<std::vector<size_t>> at(s.batch.size());
    std::vector<std::vector<double>> cheapest(s.batch.size());
    for (size_t m2 = 0; m2 < s.batch.size(); ++m2) {
      if (m2 == m) continue;
      std::vector<std::pair<size_t, double>> gears;
      for (const HwGear& g : s.hw[m2])
        gears.emplace_back(
            nh_ == 1 ? IndexOf(p_.w_values, g.second) : IndexOf(p_.h_values, g.first),
            p_.cost.Cost(s.batch[m2], g.first, g.second));
      std::sort(gears.begin(), gears.end());
      cheapest[m2].resize(gears.size());
      for (size_t k = gears.size(); k-- > 0;) {
        at[m2].push_back(gears[k].first);
        cheapest[m2][k] = k + 1 < gears.size() ? std::min(gears[k].second, cheapest[m2][k + 1])
                                               : gears[k].second;
      }
      std::reverse(at[m2].begin(), at[m2].end());
    }
    auto hold = [&](size_t m2, size_t v) {
      auto it = std::lower_bound(at[m2].begin(), at[m2].end(), v);
      return it == at[m2].end() ? kInf : cheapest[m2][it - at[m2].begin()];
    };
    auto calls = [](size_t len, int64_t batch) {
      return static_cast<double>((static_cast<int64_t>(len) + batch - 1) / batch);
    };
    // The runs: value index, weight, calls on m, cost elsewhere.
    struct Run {
      size_t v;
      double weight, calls, outside;
    };
    std::vector<Run> runs;
    std::vector<size_t> values;  // the distinct value indices, ascending
    for (const auto& [key, w] : sized) {
      const size_t v = static_cast<size_t>(key / lengths), len = static_cast<size_t>(key % lengths);
      if (!(w > 0)) continue;
      double outside = kInf;
      for (size_t m2 = 0; m2 < s.batch.size(); ++m2)
        if (m2 != m) outside = std::min(outside, calls(len, s.batch[m2]) * hold(m2, v));
      runs.push_back({v, w, calls(len, s.batch[m]), outside});
      if (values.empty() || values.back() != v) values.push_back(v);
    }
    if (runs.empty()) return {};
    const size_t n = values.size();
    // Gears cost nothing in themselves: when the budget allows one at every
    // value, that is the best.
    if (budget >= static_cast<int64_t>(n)) {
      std::vector<HwGear> all;
      for (size_t v : values) all.emplace_back(CellOf(v).first, CellOf(v).second);
      return all;
    }
    std::vector<double> call(n);
    for (size_t j = 0; j < n; ++j) {
      const auto cell = CellOf(values[j]);
      call[j] = p_.cost.Cost(s.batch[m], cell.first, cell.second);
    }
    // seg[j][t]: the runs of the first t values served with the top gear at
    // values[j] or elsewhere, whichever is cheaper (t <= j + 1); above[t]:
    // the runs of values t.. served elsewhere.
    std::vector<std::vector<double>> seg(n, std::vector<double>(n + 1, 0.0));
    std::vector<double> above(n + 1, 0.0);
    for (size_t j = 0; j < n; ++j) {
      // Per value, then prefix sums.
      std::vector<double> per(n, 0.0);
      size_t k = 0;
      for (const Run& r : runs) {
        while (values[k] != r.v) ++k;
        per[k] += r.weight * std::min(r.calls * call[j], r.outside);
      }
      seg[j][0] = 0;
      for (size_t q = 0; q < n; ++q) seg[j][q + 1] = seg[j][q] + per[q];
    }
    {
      std::vector<double> per(n, 0.0);
      size_t k = 0;
      for (const Run& r : runs) {
        while (values[k] != r.v) ++k;
        per[k] += r.weight * r.outside;
      }
      for (size_t q = n; q-- > 0;) above[q] = above[q + 1] + per[q];
    }
    const size_t layers = static_cast<size_t>(std::min<int64_t>(budget, static_cast<int64_t>(n)));
    // f[k][j]: values 0..j served with k + 1 gears, the top at values[j].
    std::vector<std::vector<double>> f(layers, std::vector<double>(n, kInf));
    std::vector<std::vector<int32_t>> cut(layers, std::vector<int32_t>(n, -1));
    for (size_t j = 0; j < n; ++j) f[0][j] = seg[j][j + 1];
    for (size_t k = 1; k < layers; ++k)
      for (size_t j = k; j < n; ++j)
        for (size_t i = k - 1; i < j; ++i) {
          const double c = f[k - 1][i] + seg[j][j + 1] - seg[j][i + 1];
          if (c < f[k][j]) {
            f[k][j] = c;
            cut[k][j] = static_cast<int32_t>(i);
          }
        }
    double best = kInf;
    size_t best_k = 0, best_j = 0;
    for (size_t k = 0; k < layers; ++k)
      for (size_t j = 0; j < n; ++j) {
        const double c = f[k][j] + above[j + 1];
        if (c < best) {
          best = c;
          best_k = k;
          best_j = j;
        }
      }
    if (!(best < kInf)) return {};
    std::vector<HwGear> out;
    for (size_t k = best_k + 1, j = best_j; k-- > 0;) {
      const auto cell = CellOf(values[j]);
      out.emplace_back(cell.first, cell.second);
      if (k > 0) j = static_cast<size_t>(cut[k][j]);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Alternates routing and gear choice from `s` until the cost stops
  // falling; appends each round's cost to `rounds` when given. When `s` is
  // over the budget its first round is taken whatever it costs (it only
  // serves to form the groups). With one varying dim the models are
  // re-chosen one at a time, each beside the others (BestGearsBeside), and
  // each change is kept only when the routed cost drops; with two, all at
  // once for the runs each serves.
  State Alternate(const Units& units, State s, int64_t budget, bool over_budget,
                  std::vector<double>* rounds, int64_t max_rounds = -1) {
    if (max_rounds < 0) max_rounds = o_.max_rounds;
    Groups groups;
    s.cost = Route(units, s, &groups);
    if (rounds && !over_budget) rounds->push_back(s.cost);
    auto accept = [&](State next, Groups next_groups) {
      s = std::move(next);
      groups = std::move(next_groups);
      if (rounds) rounds->push_back(s.cost);
    };
    auto drops = [&](double c) { return c < s.cost - 1e-12 * std::fabs(s.cost); };
    for (int64_t round = 0; round < max_rounds && s.cost < kInf; ++round) {
      if (OneDim() && !over_budget && DistinctValues(groups.sized, s) <= kMaxBesideValues) {
        bool improved = false;
        for (size_t m = 0; m < s.batch.size(); ++m) {
          std::vector<HwGear> gears = BestGearsBeside(s, m, groups.sized, budget);
          if (gears.empty() || gears == s.hw[m]) continue;
          State next = s;
          next.hw[m] = std::move(gears);
          Groups next_groups;
          next.cost = Route(units, next, &next_groups);
          if (!drops(next.cost)) continue;
          accept(std::move(next), std::move(next_groups));
          improved = true;
        }
        if (!improved) break;
        continue;
      }
      State next = s;
      for (size_t m = 0; m < s.batch.size(); ++m) {
        std::vector<HwGear> gears = BestGears(groups.cell[m], s.batch[m], budget);
        if (!gears.empty()) next.hw[m] = std::move(gears);
        // A model over the budget that serves nothing takes the gears best alone.
        if (over_budget && static_cast<int64_t>(next.hw[m].size()) > budget)
          next.hw[m] = AloneGears(units, budget);
      }
      Groups next_groups;
      next.cost = Route(units, next, &next_groups);
      // Exact arithmetic never rises; rounding may, so only a clear drop counts.
      if (!over_budget && !drops(next.cost)) break;
      over_budget = false;
      accept(std::move(next), std::move(next_groups));
    }
    s.served.assign(s.batch.size(), 0.0);
    for (size_t m = 0; m < groups.cell.size() && m < s.batch.size(); ++m)
      for (const auto& kw : groups.cell[m]) s.served[m] += kw.second;
    return s;
  }

  // `batch` alternated on `units`: from each model with its gears in `warm`
  // (by batch) or else the gears best alone; without `warm` (and with one
  // varying dim) also from every model with the gears best alone under the
  // widest budget, which lets the first routing form the groups each batch
  // suits best; the cheaper kept.
  State Evaluate(const Units& units, const std::vector<int64_t>& batch, const State* warm,
                 int64_t budget, std::vector<double>* rounds) {
    State s, wide;
    s.batch = wide.batch = batch;
    for (int64_t b : batch) {
      const std::vector<HwGear>* from = nullptr;
      if (warm) {
        auto it = std::find(warm->batch.begin(), warm->batch.end(), b);
        if (it != warm->batch.end()) from = &warm->hw[it - warm->batch.begin()];
      }
      s.hw.push_back(from && !from->empty() ? *from : AloneGears(units, budget));
      if (OneDim()) wide.hw.push_back(AloneGears(units, kWideBudget));
    }
    State a = Alternate(units, std::move(s), budget, false, rounds);
    // Two varying dims: the pair solver under the widest budget costs more
    // than it finds, so the first start only.
    if (!OneDim() || warm) return a;
    std::vector<double> wide_rounds;
    State b = Alternate(units, std::move(wide), budget, budget < kWideBudget,
                        rounds ? &wide_rounds : nullptr);
    if (b.cost < a.cost) {
      if (rounds) *rounds = std::move(wide_rounds);
      return b;
    }
    return a;
  }

  // `set` made a valid batch gear set: candidates only, within the budgets,
  // its top at least min_top_batch; empty when none can be.
  std::vector<int64_t> Repair(std::vector<int64_t> set) const {
    const std::vector<int64_t>& c = p_.batch_candidates;
    std::vector<int64_t> in;
    for (int64_t b : set)
      if (std::binary_search(c.begin(), c.end(), b)) in.push_back(b);
    std::sort(in.begin(), in.end());
    in.erase(std::unique(in.begin(), in.end()), in.end());
    const int64_t most = std::max<int64_t>(1, p_.max_batch_gears);
    if (static_cast<int64_t>(in.size()) > most) in = SpreadSubset(in, most);
    const int64_t top = TopRequired();
    if (in.empty() || in.back() < top) {
      if (static_cast<int64_t>(in.size()) >= most) in.pop_back();
      in.push_back(top);
    }
    for (int64_t b : c) {
      if (static_cast<int64_t>(in.size()) >= p_.min_batch_gears) break;
      if (!std::binary_search(in.begin(), in.end(), b)) {
        in.push_back(b);
        std::sort(in.begin(), in.end());
      }
    }
    std::sort(in.begin(), in.end());
    if (static_cast<int64_t>(in.size()) < p_.min_batch_gears ||
        static_cast<int64_t>(in.size()) > most)
      return {};
    return in;
  }

  // The candidate the largest batch gear must reach.
  int64_t TopRequired() const {
    const std::vector<int64_t>& c = p_.batch_candidates;
    auto it = std::lower_bound(c.begin(), c.end(), p_.min_top_batch);
    return it == c.end() ? c.back() : *it;
  }

  // The batch values the local search moves among: every candidate when
  // they are few, otherwise the powers of two, the box counts the units
  // have and the seeds' values, each as the candidate holding it.
  std::vector<int64_t> MoveValues(const Units& units,
                                  const std::vector<std::vector<int64_t>>& seeds) const {
    const std::vector<int64_t>& c = p_.batch_candidates;
    constexpr size_t kFew = 24;
    if (c.size() <= kFew) return c;
    std::set<int64_t> out;
    for (int64_t v = 1; v <= c.back(); v *= 2) out.insert(RoundUp(c, v));
    std::vector<int64_t> counts;
    for (size_t u = 0; u < units.size(); ++u)
      counts.push_back(static_cast<int64_t>(units.begin[u + 1] - units.begin[u]));
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    for (int64_t k : SpreadSubset(counts, kFew)) out.insert(RoundUp(c, k));
    for (const auto& s : seeds) out.insert(s.begin(), s.end());
    out.insert(TopRequired());
    return {out.begin(), out.end()};
  }

  JointSolution Solve() {
    JointSolution out;
    if (p_.batch_candidates.empty() || all_.size() == 0) return out;
    const Units& all = all_;
    const Units& sample = *search_;
    const int64_t budget = std::max<int64_t>(1, p_.max_hw_gears);

    // Seeds.
    std::vector<std::vector<int64_t>> seeds;
    for (const auto& s : p_.batch_seeds) seeds.push_back(Repair(s));
    seeds.push_back(Repair(SpreadSubset(p_.batch_candidates, p_.max_batch_gears)));
    std::vector<int64_t> powers;
    for (int64_t b : p_.batch_candidates)
      if ((b & (b - 1)) == 0) powers.push_back(b);
    seeds.push_back(Repair(SpreadSubset(powers, p_.max_batch_gears)));
    std::map<std::vector<int64_t>, State> seen;
    State best;
    auto weigh = [&](const std::vector<int64_t>& set, const State* warm) -> const State* {
      if (set.empty()) return nullptr;
      auto it = seen.find(set);
      if (it != seen.end()) return nullptr;
      if (static_cast<int64_t>(seen.size()) >= MaxEvaluations() && best.cost < kInf)
        return nullptr;
      State s = Evaluate(sample, set, warm, budget, nullptr);
      return &(seen[set] = std::move(s));
    };
    for (const auto& seed : seeds) {
      const State* s = weigh(seed, nullptr);
      if (s && Better(*s, best)) best = *s;
    }
    if (!(best.cost < kInf)) return out;

    // Local search: the first improving add, swap or remove, until none.
    const std::vector<int64_t> values = MoveValues(sample, seeds);
    const int64_t most = std::max<int64_t>(1, p_.max_batch_gears);
    bool improved = true;
    while (improved && static_cast<int64_t>(seen.size()) < MaxEvaluations()) {
      improved = false;
      std::vector<std::vector<int64_t>> moves;
      const std::vector<int64_t>& cur = best.batch;
      auto with = [&](std::vector<int64_t> set) {
        std::sort(set.begin(), set.end());
        if (static_cast<int64_t>(set.size()) >= p_.min_batch_gears &&
            static_cast<int64_t>(set.size()) <= most && set.back() >= TopRequired())
          moves.push_back(std::move(set));
      };
      for (int64_t v : values) {
        if (std::binary_search(cur.begin(), cur.end(), v)) continue;
        std::vector<int64_t> add = cur;
        add.push_back(v);
        with(add);
      }
      // The models serving least are the first to swap or drop.
      std::vector<size_t> order(cur.size());
      std::iota(order.begin(), order.end(), size_t{0});
      if (best.served.size() == cur.size())
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t x, size_t y) { return best.served[x] < best.served[y]; });
      for (size_t i : order)
        for (int64_t v : values) {
          if (std::binary_search(cur.begin(), cur.end(), v)) continue;
          std::vector<int64_t> swap = cur;
          swap[i] = v;
          with(swap);
        }
      for (size_t i : order) {
        std::vector<int64_t> drop = cur;
        drop.erase(drop.begin() + static_cast<std::ptrdiff_t>(i));
        if (!drop.empty()) with(drop);
      }
      const State parent = best;
      for (const auto& m : moves) {
        const State* s = weigh(m, &parent);
        if (s && Better(*s, best)) {
          best = *s;
          improved = true;
          break;
        }
      }
    }
    out.evaluations = static_cast<int64_t>(seen.size());

    // The last alternation on every unit, from the best gears found.
    State final_state =
        &sample == &all ? best
                        : Alternate(all, best, budget, false, &out.rounds, o_.max_final_rounds);
    if (&sample == &all) out.rounds.push_back(best.cost);
    out.feasible = final_state.cost < kInf;
    out.cost = final_state.cost;
    Fill(final_state, &out);
    return out;
  }

  // The solution's batch and hw from `s`, each model's gears padded to
  // min_hw_gears.
  void Fill(const State& s, JointSolution* out) const {
    out->batch = s.batch;
    out->hw.clear();
    for (size_t m = 0; m < s.batch.size(); ++m) {
      std::vector<HwGear> gears = s.hw[m];
      Pad(&gears);
      out->hw[s.batch[m]] = std::move(gears);
    }
  }

  // Adds gears to reach min_hw_gears: the allowed value next below the
  // smallest gear in the varying dim, else the next above the largest.
  void Pad(std::vector<HwGear>* gears) const {
    std::sort(gears->begin(), gears->end());
    while (static_cast<int64_t>(gears->size()) < p_.min_hw_gears && !gears->empty()) {
      const bool by_w = nw_ > 1;
      const std::vector<int64_t>& vals = by_w ? p_.w_values : p_.h_values;
      if (vals.size() <= 1) break;
      std::set<HwGear> have(gears->begin(), gears->end());
      bool added = false;
      const HwGear lo = gears->front(), hi = gears->back();
      for (const HwGear& from : {lo, hi}) {
        for (int64_t v : vals) {
          const HwGear g = by_w ? HwGear{from.first, v} : HwGear{v, from.second};
          if (!have.count(g)) {
            gears->push_back(g);
            added = true;
            break;
          }
        }
        if (added) break;
      }
      if (!added) break;
      std::sort(gears->begin(), gears->end());
    }
  }

  // The hw gears, at most `budget` per model, for `batch`, alternated from
  // the gears best alone on `units`.
  JointSolution FixedBatch(const Units& units, const std::vector<int64_t>& batch, int64_t budget) {
    JointSolution out;
    if (units.size() == 0 || batch.empty()) return out;
    State s = Evaluate(units, batch, nullptr, budget, &out.rounds);
    out.feasible = s.cost < kInf;
    out.cost = s.cost;
    Fill(s, &out);
    return out;
  }

 private:
  static size_t IndexOf(const std::vector<int64_t>& values, int64_t v) {
    return static_cast<size_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin());
  }

  const JointProblem& p_;
  JointOptions o_;
  size_t nh_ = 0, nw_ = 0;
  int64_t interval_ = 1;
  Units all_, sampled_;
  const Units* search_ = nullptr;  // all_ or sampled_
  // The gears best alone, by units and budget.
  std::map<std::pair<const Units*, int64_t>, std::vector<HwGear>> alone_;
};

bool Valid(const JointProblem& p) {
  return !p.batch_candidates.empty() && !p.h_values.empty() && !p.w_values.empty();
}

}  // namespace

JointSolution SolveJoint(const JointProblem& problem, const JointOptions& options) {
  if (!Valid(problem)) return {};
  return Search(problem, options).Solve();
}

JointSolution SolveJointHw(const JointProblem& problem, const std::vector<int64_t>& batch,
                           const JointOptions& options) {
  if (!Valid(problem)) return {};
  Search search(problem, options);
  return search.FixedBatch(search.all(), batch, std::max<int64_t>(1, problem.max_hw_gears));
}

double JointCost(const JointProblem& problem, const std::vector<int64_t>& batch,
                 const std::map<int64_t, std::vector<HwGear>>& hw) {
  if (problem.h_values.empty() || problem.w_values.empty()) return kInf;
  State s;
  for (int64_t b : batch) {
    auto it = hw.find(b);
    if (it == hw.end()) continue;
    s.batch.push_back(b);
    s.hw.push_back(it->second);
  }
  JointOptions o;
  o.max_search_units = 0;
  Search search(problem, o);
  return search.Route(search.all(), s, nullptr);
}

std::vector<std::pair<int64_t, double>> JointCostCurve(const JointProblem& problem,
                                                       const JointOptions& options) {
  std::vector<std::pair<int64_t, double>> out;
  if (!Valid(problem)) return out;
  Search search(problem, options);
  const JointSolution best = search.Solve();
  if (!best.feasible) return out;
  double prev = kInf;
  for (int64_t k = 1; k <= problem.max_hw_gears; ++k) {
    const JointSolution s = search.FixedBatch(search.search_units(), best.batch, k);
    prev = std::min(prev, s.feasible ? s.cost : kInf);
    out.emplace_back(k, prev);
  }
  return out;
}

}  // namespace autoscale
