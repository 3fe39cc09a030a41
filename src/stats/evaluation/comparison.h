// What every strategy's gears cost on the same profile at the same budget,
// beside one static shape: the table the summary, the JSON and the report
// show. The pipeline fills it (it runs the strategies); everything else reads
// it as it is.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stats/core/gear_set.h"
#include "stats/evaluation/evaluation.h"

namespace autoscale {

struct ComparisonEntry {
  // A strategy's name, or "static".
  std::string name;
  // Why the strategy could not choose gears; empty when it did.
  std::string error;
  // Its gears' evaluation (meaningless with an error).
  Evaluation evaluation;
  // How many gears it chose: batch gears and (h, w) gears.
  size_t batch_gears = 0;
  size_t hw_gears = 0;
};

struct Comparison {
  // Strategies in registry order, then "static".
  std::vector<ComparisonEntry> entries;

  // An entry of the gears `gears`, evaluated as `evaluation`.
  void Add(std::string name, const Evaluation& evaluation, const GearSet& gears);
  // An entry of a strategy that failed.
  void AddError(std::string name, std::string error);
  // The entry named `name`, or nullptr.
  const ComparisonEntry* Find(const std::string& name) const;
  bool empty() const { return entries.empty(); }

  // {"<name>": {"cost": {...}, "height"/"width"/"hw": {...},
  //  "gear_count": {"batch", "hw"}} or {"error": "..."}} (README "JSON
  // output"); the per-gear costs stay with the chosen strategy's evaluation.
  nlohmann::json ToJson() const;
};

}  // namespace autoscale
