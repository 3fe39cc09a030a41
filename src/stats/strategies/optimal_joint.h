// The gears of a model whose batch and h/w are dynamic, chosen together for
// the cost the runtime pays: every image's boxes are split into model calls
// by runtime::Router (an exact split for the gears given), and the batch
// gears and each batch model's (h, w) gears are chosen to minimise the total
// cost of those calls.
//
// Method:
//  - Alternation, for fixed batch gears: route every image; each run is a
//    group of L items served by batch model b on the gear holding its
//    largest item; then choose gears anew from those runs:
//     * one varying dim: one model at a time, beside the others' current
//       gears: every run of the routing may be served by this model in
//       ceil(L / b) calls of a gear holding it, or by another model in
//       ceil(L / its batch) calls of its cheapest gear holding it,
//       whichever is cheaper; that bounds the routed cost from above and is
//       exact for the current gears, and a dynamic programme over the run
//       values finds the gears minimising it exactly (O(budget * n^2); with
//       more than 128 distinct run values, the per-model step below);
//     * two varying dims: every model at once, for the runs it serves, each
//       run a sample of (max h, max w) by the pair solver (optimal_pairs.h,
//       which weighs area: the pixel cost's order);
//    each change is kept only when the routed cost drops, so it never rises;
//    a round without a drop ends the alternation.
//  - Starts: each model on the gears best when every item runs alone; and
//    (one varying dim) each model on up to 100 such gears, cut to the budget
//    by the first round, which lets the first routing form the runs each
//    batch suits best. The cheaper result is kept.
//  - Batch gears: seeds (the caller's, every candidate spread over the
//    budget, the powers of two), then a first-improvement local search that
//    adds, swaps or removes one batch gear (the least used model first),
//    weighing each set by the alternation warm started from the current
//    best; at most `max_evaluations` sets. Equal costs prefer the smaller
//    largest batch gear, then fewer gears (a model no run uses is free).
//  - Images with the same sizes (after rounding up to the allowed values,
//    which changes no routing) are one unit; beyond `max_search_units`
//    distinct units the search routes a deterministic weighted sample and
//    the result is priced on every unit.
// Every sample is held by a gear of some model (coverage 1): items above
// the largest allowed value of a dim are clamped to it first (they are
// shrunk whatever the gears are). A coverage target below 1 is not
// modelled here. With a single batch candidate of 1 every run is one item
// and the result is the exact one-dim optimum of the items (the pair
// solver's result when both dims vary).
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "runtime/cost_model.h"
#include "runtime/model_space.h"
#include "stats/solvers/optimal_pairs.h"

namespace autoscale {

// The boxes of one image (or of several identical images).
struct JointUnit {
  std::vector<runtime::Item> items;  // model-space sizes, any order
  double weight = 1;                 // how many such images; > 0
};

struct JointProblem {
  // One unit per distinct image; units without items cost nothing.
  std::vector<JointUnit> units;
  // The allowed batch gears, ascending and distinct (a fixed N is {N}).
  std::vector<int64_t> batch_candidates;
  // The fewest and most batch gears. Defaults 1 and 1.
  int64_t min_batch_gears = 1;
  int64_t max_batch_gears = 1;
  // The largest batch gear must be at least this (the candidate that holds
  // it when none equals it); 0: any. Default 0.
  int64_t min_top_batch = 0;
  // The most (h, w) gears per batch model (HwGearLimit). Default 2.
  int64_t max_hw_gears = 2;
  // The fewest (h, w) gears per batch model: gears are added (next to the
  // chosen ones) up to this; an added gear never raises the routed cost.
  // Default 1.
  int64_t min_hw_gears = 1;
  // The values a gear may take in each dim, ascending and distinct; a fixed
  // dim has its one value. Neither may be empty.
  std::vector<int64_t> h_values;
  std::vector<int64_t> w_values;
  // What a call costs.
  runtime::CostModel cost = runtime::CostModel::Pixels();
  // Batch gear sets to start the search from besides the built-in seeds
  // (each is repaired to the candidates and budgets). Default none.
  std::vector<std::vector<int64_t>> batch_seeds;
};

struct JointOptions {
  // Distinct units the batch search routes; more are sampled down to this.
  // Default 8192.
  int64_t max_search_units = 8192;
  // Batch gear sets the search weighs at most. Default 80.
  int64_t max_evaluations = 80;
  // The same when both h and w vary (each weighing runs the pair solver).
  // Default 24.
  int64_t max_pair_evaluations = 24;
  // Alternation rounds per batch gear set at most. Default 30.
  int64_t max_rounds = 30;
  // When the search ran on a sample: alternation rounds on every unit after
  // it, at most (0: the sample's gears, priced on every unit). Default 0.
  int64_t max_final_rounds = 0;
};

struct JointSolution {
  bool feasible = false;  // false when a list of the problem is empty
  std::vector<int64_t> batch;  // ascending
  // Per batch gear, its model's (h, w) gears, ascending.
  std::map<int64_t, std::vector<HwGear>> hw;
  // The total routed cost of every unit (weights applied), in the cost
  // model's unit.
  double cost = 0;
  // The total on every unit after each round of the alternation run on
  // every unit, the first for the gears it started from: never increasing.
  // SolveJointHw: all its rounds. SolveJoint: the result's cost, after the
  // up to max_final_rounds rounds that follow a search on a sample.
  std::vector<double> rounds;
  // Batch gear sets weighed by the search.
  int64_t evaluations = 0;
};

JointSolution SolveJoint(const JointProblem& problem, const JointOptions& options = {});

// The alternation alone for the batch gears `batch` (ascending candidates),
// on every unit, from each model holding the gears that are best when every
// item runs alone: the best (h, w) gears it finds for that batch set.
JointSolution SolveJointHw(const JointProblem& problem, const std::vector<int64_t>& batch,
                           const JointOptions& options = {});

// The total routed cost of every unit on the given gears (a batch gear
// missing from `hw` has no model); +infinity when some item fits no gear.
double JointCost(const JointProblem& problem, const std::vector<int64_t>& batch,
                 const std::map<int64_t, std::vector<HwGear>>& hw);

// The best cost found with at most k (h, w) gears per batch model, for k =
// 1..max_hw_gears, on SolveJoint's batch gears (each k alternated from the
// gears best alone, then the least of it and every smaller k): never
// increasing in k. Beyond max_search_units distinct units it is priced on
// the search's sample.
std::vector<std::pair<int64_t, double>> JointCostCurve(const JointProblem& problem,
                                                       const JointOptions& options = {});

}  // namespace autoscale
