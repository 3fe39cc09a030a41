// The exact best gears for one dimension: a sample is served by the smallest
// gear that holds it, so a gear set cuts the sorted candidate values into
// segments and each segment costs its weight times its top value. Dynamic
// programming over those segments finds the cheapest set under a gear budget
// and a coverage target. Used for one dynamic h/w dim, for the batch gears
// (with the largest gear fixed) and for each side of a grid.
#pragma once

#include <cstdint>
#include <vector>

namespace autoscale {

struct OneDimProblem {
  // Candidate gear values, ascending and distinct. Each carries the samples
  // whose smallest holding candidate it is.
  std::vector<int64_t> values;
  // Per value: what serving one unit costs is value * weight (the sample
  // count, or count times the other dim of a grid). Non-negative.
  std::vector<double> weights;
  // Per value: what one unit of weight served by a gear of that value costs,
  // when it is not the value itself (a measured call cost, say). Must not
  // decrease along `values`. Empty means the values. Default empty.
  std::vector<double> unit_costs;
  // Per value: the number of samples, for the coverage target. Empty means
  // equal to `weights`.
  std::vector<double> counts;
  // Weight and count of samples that no candidate holds: they are shrunk
  // into the largest gear whatever it is. Default 0.
  double overflow_weight = 0;
  double overflow_count = 0;
  // Samples that must be held by a gear (coverage target); the samples left
  // out are always the largest values, since a sample is held exactly when
  // it is at most the largest gear. Default 0.
  double min_held = 0;
  // The most gears. At least 1. Default 1.
  int64_t max_gears = 1;
  // The largest gear must be values[top_index] or above it; -1 means it must
  // be values.back() (the batch solver fixes its largest gear this way).
  // Default 0: any.
  int64_t min_top_index = 0;
};

struct OneDimSolution {
  bool feasible = false;
  std::vector<int64_t> gears;  // ascending, a subset of `values`
  double cost = 0;             // sum of unit cost * weight over every sample
};

// The cheapest gear set, exactly: O(max_gears * n log n) by divide and
// conquer (the segment cost satisfies the quadrangle inequality for any
// unit cost that does not decrease, so each segment's best start moves right
// as its end does). Infeasible when no
// value reaches min_held or the input is empty.
OneDimSolution SolveOneDim(const OneDimProblem& problem);

// The cost the solver minimises, for any ascending gear list (used by tests
// and by callers that add a gear the solver did not choose). With unit_costs
// a gear that is not one of the values costs its value.
double OneDimCost(const OneDimProblem& problem, const std::vector<int64_t>& gears);

}  // namespace autoscale
