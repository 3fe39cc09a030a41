#include "stats/evaluation/comparison.h"

#include <utility>

namespace autoscale {

void Comparison::Add(std::string name, const Evaluation& evaluation, const GearSet& gears) {
  ComparisonEntry e;
  e.name = std::move(name);
  e.evaluation = evaluation;
  e.evaluation.cost.gears.clear();  // per gear: the chosen strategy's only
  e.evaluation.cost.served.clear();
  e.batch_gears = gears.batch.size();
  e.hw_gears = gears.hw.size();
  entries.push_back(std::move(e));
}

void Comparison::AddError(std::string name, std::string error) {
  ComparisonEntry e;
  e.name = std::move(name);
  e.error = std::move(error);
  entries.push_back(std::move(e));
}

const ComparisonEntry* Comparison::Find(const std::string& name) const {
  for (const ComparisonEntry& e : entries)
    if (e.name == name) return &e;
  return nullptr;
}

nlohmann::json Comparison::ToJson() const {
  nlohmann::json j = nlohmann::json::object();
  for (const ComparisonEntry& e : entries) {
    if (!e.error.empty()) {
      j[e.name] = {{"error", e.error}};
      continue;
    }
    nlohmann::json entry = e.evaluation.ToJson();
    entry.erase("gear_cost");
    entry["gear_count"] = {{"batch", e.batch_gears}, {"hw", e.hw_gears}};
    j[e.name] = std::move(entry);
  }
  return j;
}

}  // namespace autoscale
