#include "stats/core/gear_set.h"

#include <algorithm>
#include <set>

#include "stats/core/gear_limits.h"

namespace autoscale {

namespace {

template <typename T>
void SortUnique(std::vector<T>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

template <typename T>
bool StrictlyAscending(const std::vector<T>& v) {
  return std::adjacent_find(v.begin(), v.end(),
                            [](const T& a, const T& b) { return !(a < b); }) == v.end();
}

// Every (h, w) list of the set: `hw` and the per-batch ones.
template <typename Fn>
void ForEachHwList(const GearSet& g, Fn fn) {
  fn(g.hw);
  for (const auto& [b, list] : g.hw_per_batch) fn(list);
}

std::vector<int64_t> DistinctValues(const GearSet& g, bool height) {
  std::set<int64_t> values;
  ForEachHwList(g, [&](const std::vector<HwGear>& list) {
    for (const auto& [h, w] : list) values.insert(height ? h : w);
  });
  return {values.begin(), values.end()};
}

void SortLists(GearSet* g) {
  SortUnique(&g->batch);
  SortUnique(&g->hw);
  for (auto it = g->hw_per_batch.begin(); it != g->hw_per_batch.end();) {
    SortUnique(&it->second);
    // An entry equal to `hw` says nothing HwFor does not already say.
    it = it->second == g->hw ? g->hw_per_batch.erase(it) : std::next(it);
  }
}

std::string Join(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return "[" + s + "]";
}

Status Fail(const std::string& what) { return Status::Error("gears: " + what); }

// The checks on one model's (h, w) gears; `model` names it in errors.
Status CheckHwModel(const std::vector<HwGear>& hw, const InputShape& shape,
                    const ScalingConfig& config, const std::string& model) {
  const int64_t limit =
      HwGearLimit(config);
  if (!StrictlyAscending(hw)) return Fail(model + ": (h, w) gears are not distinct and sorted");
  if (hw.size() < 2)
    return Fail(model + ": " + std::to_string(hw.size()) +
                " (h, w) gear(s); a dynamic model needs at least 2");
  if (static_cast<int64_t>(hw.size()) > limit)
    return Fail(model + ": " + std::to_string(hw.size()) + " (h, w) gears, more than " +
                std::to_string(limit) + " (max_scaling_num, at most 100)");
  for (const auto& [h, w] : hw) {
    const std::pair<const char*, int64_t> dims[] = {{"height", h}, {"width", w}};
    for (int i = 0; i < 2; ++i) {
      const Dim d = i == 0 ? kH : kW;
      const auto& [name, v] = dims[i];
      if (!shape.IsDynamic(d)) {
        if (v != shape.dims[d])
          return Fail(model + ": " + name + " " + std::to_string(v) +
                      " differs from the model's fixed " + std::to_string(shape.dims[d]));
      } else if (v <= 0 || v % config.interval != 0) {
        return Fail(model + ": " + name + " " + std::to_string(v) +
                    " is not a positive multiple of interval " +
                    std::to_string(config.interval));
      }
    }
  }
  return Status::Ok();
}

Status CheckDimList(const GearSet& g, const InputShape& shape, Dim d) {
  const bool height = d == kH;
  const char* name = height ? "height" : "width";
  const auto& list = height ? g.height : g.width;
  if (!shape.IsDynamic(d)) {
    if (!list.empty()) return Fail(std::string(name) + " is fixed but lists " + Join(list));
    return Status::Ok();
  }
  if (list != DistinctValues(g, height))
    return Fail(std::string(name) + " list " + Join(list) +
                " is not the distinct values of the (h, w) gears");
  return Status::Ok();
}

}  // namespace

const std::vector<HwGear>& GearSet::HwFor(int64_t b) const {
  auto it = hw_per_batch.find(b);
  return it == hw_per_batch.end() ? hw : it->second;
}

nlohmann::json GearSet::ToJson() const {
  auto pairs = [](const std::vector<HwGear>& list) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& [h, w] : list) a.push_back({h, w});
    return a;
  };
  nlohmann::json j = {{"batch_size", batch}, {"height", height}, {"width", width},
                      {"hw", pairs(hw)}};
  if (!hw_per_batch.empty()) {
    nlohmann::json per = nlohmann::json::object();
    for (const auto& [b, list] : hw_per_batch) per[std::to_string(b)] = pairs(list);
    j["hw_per_batch"] = per;
  }
  return j;
}

void Normalize(GearSet* gears) {
  SortLists(gears);
  for (bool height : {true, false}) {
    auto& list = height ? gears->height : gears->width;
    std::vector<int64_t> values = DistinctValues(*gears, height);
    const bool looks_fixed = list.empty() && values.size() <= 1;
    list = looks_fixed ? std::vector<int64_t>{} : values;
  }
}

void Normalize(GearSet* gears, const InputShape& shape) {
  SortLists(gears);
  gears->height = shape.HeightDynamic() ? DistinctValues(*gears, true) : std::vector<int64_t>{};
  gears->width = shape.WidthDynamic() ? DistinctValues(*gears, false) : std::vector<int64_t>{};
}

Status CheckGearGuarantees(const GearSet& g, const InputShape& shape, const ScalingConfig& config) {
  if (config.interval <= 0) return Fail("interval must be positive");
  if (!shape.BatchDynamic()) {
    if (!g.batch.empty()) return Fail("batch is fixed but batch gears " + Join(g.batch) + " given");
    if (!g.hw_per_batch.empty()) return Fail("batch is fixed but hw_per_batch is given");
  } else {
    if (!StrictlyAscending(g.batch)) return Fail("batch gears " + Join(g.batch) + " are not distinct and sorted");
    for (int64_t b : g.batch)
      if (b < 1 || b > kMaxBatchGear)
        return Fail("batch gear " + std::to_string(b) + " is outside 1..2048");
    // Only N dynamic: one model whose gears are the batch sizes. N and H/W
    // dynamic: one model per batch gear, each checked by its (h, w) gears.
    const size_t need = shape.HwDynamic() ? 1 : 2;
    if (g.batch.size() < need)
      return Fail(std::to_string(g.batch.size()) + " batch gear(s); at least " +
                  std::to_string(need) + " needed");
    if (g.batch.size() > static_cast<size_t>(kMaxGearsPerModel))
      return Fail(std::to_string(g.batch.size()) + " batch gears, more than 100");
    for (const auto& [b, list] : g.hw_per_batch)
      if (!std::binary_search(g.batch.begin(), g.batch.end(), b))
        return Fail("hw_per_batch names batch " + std::to_string(b) + ", not a batch gear");
  }
  if (!shape.HwDynamic()) {
    if (!g.hw.empty() || !g.hw_per_batch.empty())
      return Fail("height and width are fixed but (h, w) gears are given");
    if (!g.height.empty() || !g.width.empty())
      return Fail("height and width are fixed but height/width gears are given");
    return Status::Ok();
  }
  if (shape.BatchDynamic()) {
    // `hw` is what every batch gear without its own entry uses, and what
    // gears.json shows, so it must be sound whenever it is given.
    if (!g.hw.empty()) {
      Status s = CheckHwModel(g.hw, shape, config, "hw");
      if (!s.ok()) return s;
    }
    for (int64_t b : g.batch) {
      Status s = CheckHwModel(g.HwFor(b), shape, config, "batch " + std::to_string(b));
      if (!s.ok()) return s;
    }
  } else {
    Status s = CheckHwModel(g.hw, shape, config, "hw");
    if (!s.ok()) return s;
  }
  for (Dim d : {kH, kW}) {
    Status s = CheckDimList(g, shape, d);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace autoscale
