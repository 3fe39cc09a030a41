// The exact best batch gears for a box-count histogram. An image of k boxes
// runs once on the smallest gear >= k; when k exceeds the largest gear M it
// runs floor(k/M) full batches of M plus one run of the smallest gear that
// holds the remainder. The cost is the batch slots run, padding included.
// Slots alone would always pick a largest gear of 1 (no padding, one run
// per box), so, as for h/w gears, a coverage target says how many images
// must run in a single run (k <= M); the images left to split are then the
// ones with the most boxes.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace autoscale {

struct BatchProblem {
  // Box count -> images with that many boxes. Counts <= 0 need no run.
  std::map<int64_t, uint64_t> box_counts;
  // The allowed gears, ascending and distinct (batch_choices, or 1..2048).
  std::vector<int64_t> candidates;
  // The most gears. At least 1. Default 1.
  int64_t max_gears = 1;
  // Images (with at least one box) that must run in a single run: the
  // coverage target. At most the images some candidate holds. Default 0.
  double min_single_run = 0;
  // The fewest gears: 2 for a model whose only dynamic dim is N (a dynamic
  // model needs two), 1 when each batch gear is a model of its own. Default 1.
  int64_t min_gears = 1;
};

struct BatchSolution {
  bool feasible = false;
  std::vector<int64_t> gears;  // ascending
  double slots = 0;
};

// Exact: for each candidate largest gear M that meets the coverage target
// the remainders (k mod M, or k
// itself when k <= M) form a one-dim problem whose top gear is fixed at M,
// which the one-dim dynamic programme solves exactly.
BatchSolution SolveBatch(const BatchProblem& problem);

// Slots run for `box_counts` on `gears` (ascending, not empty).
double BatchSlots(const std::map<int64_t, uint64_t>& box_counts, const std::vector<int64_t>& gears);

}  // namespace autoscale
