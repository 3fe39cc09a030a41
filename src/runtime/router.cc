#include "runtime/router.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

namespace autoscale {
namespace runtime {

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

bool Router::Prefer(const ModelIndex& m, const std::vector<Hw>& hw, uint32_t a, uint32_t b) const {
  return std::make_tuple(m.cost[a], hw[a].h * hw[a].w, hw[a].h, hw[a].w) <
         std::make_tuple(m.cost[b], hw[b].h * hw[b].w, hw[b].h, hw[b].w);
}

Router::Router(GearTable gears, CostModel cost) : gears_(std::move(gears)), cost_(std::move(cost)) {
  index_.resize(gears_.models.size());
  int64_t largest_area = -1;
  for (size_t mi = 0; mi < gears_.models.size(); ++mi) {
    const BatchModel& model = gears_.models[mi];
    const std::vector<Hw>& hw = model.hw;
    ModelIndex& m = index_[mi];
    for (const Hw& g : hw) {
      m.cost.push_back(cost_.Cost(model.batch, g.h, g.w));
      if (g.h * g.w > largest_area) {
        largest_area = g.h * g.w;
        largest_ = g;
      }
    }
    std::vector<uint32_t> order(hw.size());
    std::iota(order.begin(), order.end(), 0u);
    const bool one_h =
        std::all_of(hw.begin(), hw.end(), [&](const Hw& g) { return g.h == hw[0].h; });
    const bool one_w =
        std::all_of(hw.begin(), hw.end(), [&](const Hw& g) { return g.w == hw[0].w; });
    if (one_h || one_w) {
      m.layout = one_h ? ModelIndex::Layout::kOneH : ModelIndex::Layout::kOneW;
      m.fixed = hw.empty() ? 0 : (one_h ? hw[0].h : hw[0].w);
      auto varying = [&](uint32_t g) { return one_h ? hw[g].w : hw[g].h; };
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return varying(a) < varying(b); });
      m.dim.resize(order.size());
      m.best_from.resize(order.size());
      for (size_t k = order.size(); k-- > 0;) {
        m.dim[k] = varying(order[k]);
        m.best_from[k] = order[k];
        if (k + 1 < order.size() && Prefer(m, hw, m.best_from[k + 1], order[k]))
          m.best_from[k] = m.best_from[k + 1];
      }
    } else {
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return Prefer(m, hw, a, b); });
      m.by_preference = std::move(order);
    }
  }
}

int Router::CheapestGear(size_t model, int64_t h, int64_t w) const {
  const ModelIndex& m = index_[model];
  if (m.layout == ModelIndex::Layout::kGeneral) {
    const std::vector<Hw>& hw = gears_.models[model].hw;
    for (uint32_t g : m.by_preference)
      if (hw[g].h >= h && hw[g].w >= w) return static_cast<int>(g);
    return -1;
  }
  const bool one_h = m.layout == ModelIndex::Layout::kOneH;
  if ((one_h ? h : w) > m.fixed) return -1;
  auto it = std::lower_bound(m.dim.begin(), m.dim.end(), one_h ? w : h);
  if (it == m.dim.end()) return -1;
  return static_cast<int>(m.best_from[it - m.dim.begin()]);
}

Item Router::Cover(Item item, bool* shrunk) const {
  *shrunk = false;
  for (size_t m = 0; m < index_.size(); ++m)
    if (CheapestGear(m, item.h, item.w) >= 0) return item;
  *shrunk = true;
  return {std::min(item.h, largest_.h), std::min(item.w, largest_.w)};
}

double Router::RouteSorted(const Item* items, size_t count, RouteScratch* s) const {
  s->runs.clear();
  s->cost.assign(count + 1, kInfinity);
  s->calls.assign(count + 1, 0);
  s->last.resize(count + 1);
  s->cost[0] = 0;
  bool one_h = true, one_w = true;
  for (size_t i = 1; i < count; ++i) {
    one_h = one_h && items[i].h == items[0].h;
    one_w = one_w && items[i].w == items[0].w;
  }
  // With one dim varying, the group j..i-1 has the size of its last item, and
  // since cost[] never decreases with i, the longest group a model allows wins.
  const bool one_dim = one_h || one_w;
  for (size_t i = 1; i <= count; ++i) {
    double& best = s->cost[i];
    uint32_t& best_calls = s->calls[i];
    RunSpan& choice = s->last[i];
    auto consider = [&](size_t model, int gear, size_t j) {
      const double c = s->cost[j] + index_[model].cost[gear];
      const uint32_t calls = s->calls[j] + 1;
      // Models are visited by ascending batch, so a tie on (cost, calls) keeps
      // the smaller batch; within one model it prefers the earlier start.
      const bool better =
          c < best ||
          (c == best && (calls < best_calls ||
                         (calls == best_calls && choice.model == model && j < choice.first)));
      if (!better) return;
      best = c;
      best_calls = calls;
      choice = {static_cast<uint32_t>(model), static_cast<uint32_t>(gear), static_cast<uint32_t>(j),
                static_cast<uint32_t>(i - j), index_[model].cost[gear]};
    };
    for (size_t model = 0; model < index_.size(); ++model) {
      const size_t b = static_cast<size_t>(gears_.models[model].batch);
      const size_t start = i > b ? i - b : 0;
      if (one_dim) {
        const int gear = CheapestGear(model, items[i - 1].h, items[i - 1].w);
        if (gear >= 0 && s->cost[start] < kInfinity) consider(model, gear, start);
        continue;
      }
      int64_t max_h = 0, max_w = 0;
      for (size_t j = i; j-- > start;) {
        max_h = std::max(max_h, items[j].h);
        max_w = std::max(max_w, items[j].w);
        const int gear = CheapestGear(model, max_h, max_w);
        if (gear < 0) break;  // a longer group does not fit either
        if (s->cost[j] < kInfinity) consider(model, gear, j);
      }
    }
  }
  if (s->cost[count] == kInfinity) return kInfinity;
  for (size_t i = count; i > 0; i -= s->last[i].count) s->runs.push_back(s->last[i]);
  std::reverse(s->runs.begin(), s->runs.end());
  return s->cost[count];
}

Routing Router::Route(const std::vector<Item>& items) const {
  Routing out;
  std::vector<Item> covered(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    bool shrunk = false;
    covered[i] = Cover(items[i], &shrunk);
    out.shrunk += shrunk ? 1 : 0;
  }
  std::vector<uint32_t> order(items.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(covered[a].w, covered[a].h) < std::tie(covered[b].w, covered[b].h);
  });
  std::vector<Item> sorted(items.size());
  for (size_t k = 0; k < order.size(); ++k) sorted[k] = covered[order[k]];
  RouteScratch scratch;
  out.cost = RouteSorted(sorted.data(), sorted.size(), &scratch);
  for (const RunSpan& span : scratch.runs) {
    Run run;
    run.batch = gears_.models[span.model].batch;
    run.gear = gears_.models[span.model].hw[span.gear];
    run.items.assign(order.begin() + span.first, order.begin() + span.first + span.count);
    run.cost = span.cost;
    out.runs.push_back(std::move(run));
  }
  return out;
}

}  // namespace runtime
}  // namespace autoscale
