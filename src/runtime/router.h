// Splits a set of inputs (e.g. all text boxes of one image, already in model
// space) into model calls ("runs") at the least predicted cost. A run is a
// group of items served by one batch model of batch b >= group size and one
// (h, w) gear of it holding every item; it costs a full call
// cost.Cost(b, gear.h, gear.w): empty slots and padding are paid.
//
// Method: items are covered (an item no gear of any model holds is clamped
// to the gear of the largest area, "shrunk"), sorted by (w, h), and split
// into contiguous groups by an exact dynamic program over group ends and
// batch models. When the items vary in one dim only, the program is
// O(items x models x log gears).
//
// Ties are broken deterministically: least cost, then fewest calls, then the
// smaller batch, then the longer last run; a group's gear is the cheapest
// gear holding it, then the smallest by area, h, w.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/cost_model.h"
#include "runtime/gear_table.h"
#include "runtime/model_space.h"

namespace autoscale {
namespace runtime {

struct Run {
  int64_t batch = 0;
  Hw gear;
  std::vector<uint32_t> items;  // indices into the routed items, ascending by (w, h)
  double cost = 0;
};

struct Routing {
  std::vector<Run> runs;
  double cost = 0;      // sum of the runs' costs
  uint32_t shrunk = 0;  // items no gear holds, clamped to the largest gear
};

// One run of a sorted sequence, as RouteSorted reports it.
struct RunSpan {
  uint32_t model = 0;  // index into GearTable::models
  uint32_t gear = 0;   // index into that model's hw
  uint32_t first = 0;  // the run is items [first, first + count)
  uint32_t count = 0;
  double cost = 0;
};

// Buffers RouteSorted reuses: once they have grown to the longest sequence
// routed, routing allocates nothing.
struct RouteScratch {
  std::vector<double> cost;
  std::vector<uint32_t> calls;
  std::vector<RunSpan> last;
  std::vector<RunSpan> runs;  // RouteSorted's result, in sequence order
};

class Router {
 public:
  // `gears` must have at least one model with at least one gear.
  Router(GearTable gears, CostModel cost);

  // Routes `items` (model-space sizes, any order).
  Routing Route(const std::vector<Item>& items) const;

  // The low-level entry: `items` must be covered (see Cover) and sorted
  // ascending by (w, h). Fills scratch->runs in sequence order and returns
  // the total cost; +infinity (and no runs) when some item fits no gear.
  double RouteSorted(const Item* items, size_t count, RouteScratch* scratch) const;

  // The item as routed: itself when some gear holds it, otherwise clamped to
  // the gear G of the largest area, (min(h, G.h), min(w, G.w)), with
  // *shrunk set to true.
  Item Cover(Item item, bool* shrunk) const;

  // The cheapest gear of model `model` with h >= `h` and w >= `w`, or -1.
  int CheapestGear(size_t model, int64_t h, int64_t w) const;

  // cost.Cost(batch, gear) of gear `gear` of model `model`.
  double GearCost(size_t model, size_t gear) const { return index_[model].cost[gear]; }

  const GearTable& gears() const { return gears_; }
  const CostModel& cost() const { return cost_; }

 private:
  // Per model: how CheapestGear finds its answer.
  struct ModelIndex {
    enum class Layout { kOneH, kOneW, kGeneral };
    Layout layout = Layout::kGeneral;
    std::vector<double> cost;  // per gear
    // kOneH / kOneW: the varying dim of the gears ascending, and for each
    // position the best gear at or after it; fixed = the shared other dim.
    int64_t fixed = 0;
    std::vector<int64_t> dim;
    std::vector<uint32_t> best_from;
    // kGeneral: gears in preference order (cost, area, h, w).
    std::vector<uint32_t> by_preference;
  };
  bool Prefer(const ModelIndex& m, const std::vector<Hw>& hw, uint32_t a, uint32_t b) const;

  GearTable gears_;
  CostModel cost_;
  std::vector<ModelIndex> index_;
  Hw largest_;  // the gear of the largest area over all models
};

}  // namespace runtime
}  // namespace autoscale
