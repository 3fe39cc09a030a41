// Free (h, w) gears for models whose height and width are both dynamic: a
// list of pairs, not a grid, so a portrait and a landscape size each get a
// gear of their own instead of the grid's four. A sample is served by the
// gear of least h*w that holds it; one no gear holds is shrunk into the
// gear of greatest h*w (the router's rule: see ARCHITECTURE.md, Rules that
// have one home).
//
// Choosing the cheapest k pairs is a facility-location problem on the
// dominance order, so no exact polynomial method is known. The solver is:
//  - exact on small profiles: when the subsets of useful pairs are few it
//    weighs them all (a useful pair is the bounding box of the cells it
//    serves, so it takes its h from one cell and its w from another);
//  - otherwise a local search over pairs, started from the best grid of the
//    same budget (so never worse than that grid) and from a greedy build,
//    keeping the better. Each step adds the pair that saves the most and
//    drops the pair whose loss is least, while that lowers the cost; gears
//    shrink to the bounding box of what they serve in between. The pair
//    savings are computed over each cell's improving region only (pairs
//    that hold it and cost less than its current gear), which stays small
//    once the gears are good.
// With a coverage target below 1 the local search leaves out the samples
// of largest h*w first (the rarest sizes by compute), as many as allowed.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "stats/solvers/optimal_grid.h"

namespace autoscale {

// (h, w), as GearSet spells it.
using HwGear = std::pair<int64_t, int64_t>;

struct PairProblem {
  // Distinct sizes, each rounded up to the gear that holds it (a multiple of
  // interval within the bounds), with positive counts.
  std::vector<PairCell> cells;
  // Samples that no allowed gear holds (they are shrunk whatever the gears).
  double overflow = 0;
  // Samples that must be held by a gear (the coverage target).
  double min_held = 0;
  // The most pairs. Default 1.
  int64_t max_gears = 1;
  // The allowed values of each dim: multiples of interval in [lo, hi]; used
  // to add a second gear when one is optimal. Defaults allow anything.
  int64_t interval = 1;
  int64_t lo_h = 1, hi_h = INT64_MAX;
  int64_t lo_w = 1, hi_w = INT64_MAX;
};

struct PairOptions {
  // Weigh every subset of useful pairs when there are at most this many.
  // 0 turns the exhaustive search off. Default 200000.
  int64_t exact_subset_limit = 200000;
  // Grid seeding: see GridOptions. Default as there.
  GridOptions grid;
};

struct PairSolution {
  std::vector<HwGear> gears;  // ascending; at least 2 unless the bounds allow one
  double cost = 0;            // PairCost of `gears`
  bool exact = false;         // found by the exhaustive search
  // The seed grid's cost (the local search never ends above it); 0 when the
  // exhaustive search answered.
  double grid_cost = 0;
};

PairSolution SolvePairs(const PairProblem& problem, const PairOptions& options = {});

// The compute of serving the problem's samples on `gears` (any order).
double PairCost(const PairProblem& problem, const std::vector<HwGear>& gears);

// Samples of the problem `gears` hold.
double PairHeld(const PairProblem& problem, const std::vector<HwGear>& gears);

}  // namespace autoscale
