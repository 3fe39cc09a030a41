// Which gear holds which samples, for the report's "share each gear serves"
// tables: a sample is served by the cheapest gear that holds it; one no gear
// holds is shrunk into the largest gear. The batch rules below (RunsFor,
// BatchModelShares) are the strategies' own model of batching; the cost of
// what the runtime does is Evaluate's, through runtime::Router.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "stats/core/gear_set.h"

namespace autoscale {

struct GearUsage {
  // served[i]: the samples (or runs, for batch gears) gears[i] serves,
  // shrunk ones included.
  std::vector<double> served;
  // Samples no gear holds (served, shrunk, by the largest gear).
  double shrunk = 0;
  double total = 0;
};

// One dimension: the smallest gear >= v serves v. `gears` ascending.
GearUsage UsageOneDim(const std::map<int64_t, double>& counts, const std::vector<int64_t>& gears);

// (h, w) pairs: the gear of least h*w (then least h) with h >= sample h and
// w >= sample w; the largest is the one of greatest h*w.
GearUsage UsagePairs(const std::map<std::pair<int64_t, int64_t>, double>& counts,
                     const std::vector<HwGear>& gears);

// How an image of `box_count` boxes (> 0) runs on batch gears (positive, in
// any order): `full` runs of the largest gear, then one run of `rest_gear`,
// the smallest gear that holds the `rest` boxes left (0 when none are).
struct BoxRuns {
  int64_t largest = 0;
  uint64_t full = 0;
  int64_t rest = 0;
  int64_t rest_gear = 0;
  uint64_t Runs() const { return full + (rest_gear > 0 ? 1 : 0); }
  uint64_t Slots() const {
    return full * static_cast<uint64_t>(largest) + static_cast<uint64_t>(rest_gear);
  }
};
BoxRuns RunsFor(int64_t box_count, const std::vector<int64_t>& gears);

// Which batch models serve the boxes of an image of `box_count` boxes, and
// what share of them each: the smallest gear that holds the count serves all;
// above the largest gear, the largest runs the full batches and the smallest
// gear holding the remainder runs the rest (which boxes that is, is up to the
// caller's order, so each of the image's boxes counts in both by its share).
// Ascending by gear; empty for 0 boxes or no gears. The optimal strategy's
// per-batch gears are chosen on these shares.
struct BatchShare {
  int64_t gear = 0;
  double share = 0;  // of the image's boxes, (0, 1]
};
std::vector<BatchShare> BatchModelShares(int64_t box_count, const std::vector<int64_t>& gears);

}  // namespace autoscale
