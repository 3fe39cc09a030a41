#include "stats/solvers/optimal_batch.h"

#include <catch2/catch.hpp>
#include <limits>
#include <random>

using namespace autoscale;

namespace {

double BruteForce(const BatchProblem& p) {
  const size_t n = p.candidates.size();
  double best = std::numeric_limits<double>::infinity();
  for (uint32_t mask = 1; mask < (1u << n); ++mask) {
    const int bits = __builtin_popcount(mask);
    if (bits > p.max_gears || bits < p.min_gears) continue;
    std::vector<int64_t> gears;
    for (size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) gears.push_back(p.candidates[i]);
    double single_run = 0;
    for (const auto& [k, images] : p.box_counts)
      if (k > 0 && k <= gears.back()) single_run += static_cast<double>(images);
    if (single_run < p.min_single_run) continue;
    best = std::min(best, BatchSlots(p.box_counts, gears));
  }
  return best;
}

}  // namespace

TEST_CASE("batch gears are exact against brute force", "[optimal]") {
  std::mt19937 rng(11);
  for (int round = 0; round < 300; ++round) {
    BatchProblem p;
    // Candidates: a random subset of 1..40 (like batch_choices), or all of
    // 1..12 (like `any` on a small range).
    if (round % 2 == 0) {
      for (int64_t v = 1; v <= 40; ++v)
        if (rng() % 4 == 0) p.candidates.push_back(v);
      if (p.candidates.empty()) p.candidates.push_back(8);
    } else {
      for (int64_t v = 1; v <= 12; ++v) p.candidates.push_back(v);
    }
    const int images = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < images; ++i) p.box_counts[static_cast<int64_t>(rng() % 60)] += 1 + rng() % 3;
    p.max_gears = 1 + static_cast<int64_t>(rng() % 4);
    p.min_gears = round % 3 == 0 ? 2 : 1;
    // Coverage targets from none to every image the candidates can hold.
    double holdable = 0;
    for (const auto& [k, images] : p.box_counts)
      if (k > 0 && k <= p.candidates.back()) holdable += static_cast<double>(images);
    p.min_single_run = std::floor(holdable * (round % 4) / 3.0);
    const double want = BruteForce(p);
    BatchSolution got = SolveBatch(p);
    INFO("round " << round);
    REQUIRE(got.feasible == std::isfinite(want));
    if (!got.feasible) continue;
    CHECK(got.slots == want);
    CHECK(BatchSlots(p.box_counts, got.gears) == got.slots);
    CHECK(static_cast<int64_t>(got.gears.size()) <= p.max_gears);
    CHECK(static_cast<int64_t>(got.gears.size()) >= p.min_gears);
    CHECK(std::is_sorted(got.gears.begin(), got.gears.end()));
  }
}

TEST_CASE("batch slots split counts above the largest gear", "[optimal]") {
  // 21 boxes on {4, 8}: two full runs of 8, then 5 boxes in a run of 8.
  CHECK(BatchSlots({{21, 1}}, {4, 8}) == 24);
  // 20 boxes: two runs of 8 and the remaining 4 in a run of 4.
  CHECK(BatchSlots({{20, 2}}, {4, 8}) == 40);
  CHECK(BatchSlots({{0, 5}, {3, 1}}, {4, 8}) == 4);
}

TEST_CASE("batch gears honour the single-run coverage target", "[optimal]") {
  // Every image has 16 or 32 boxes. Slots alone would take a largest gear of
  // 1 (no padding, a run per box); full coverage runs every image at once.
  BatchProblem p;
  p.box_counts = {{16, 10}, {32, 10}};
  p.candidates = {1, 4, 8, 16, 32, 64};
  p.max_gears = 1;
  p.min_single_run = 20;
  BatchSolution s = SolveBatch(p);
  CHECK(s.gears == std::vector<int64_t>{32});
  CHECK(s.slots == 640);
  p.max_gears = 2;
  s = SolveBatch(p);
  CHECK(s.gears == std::vector<int64_t>{16, 32});
  CHECK(s.slots == 480);
  // Half the images may split: one gear of 16 runs the 32s as two full runs.
  p.max_gears = 1;
  p.min_single_run = 10;
  s = SolveBatch(p);
  CHECK(s.gears == std::vector<int64_t>{16});
  CHECK(s.slots == 480);
  p.min_single_run = 21;
  CHECK_FALSE(SolveBatch(p).feasible);
}

TEST_CASE("batch gears need two candidates for a two-gear minimum", "[optimal]") {
  BatchProblem p;
  p.box_counts = {{3, 1}};
  p.candidates = {8};
  p.max_gears = 4;
  p.min_gears = 2;
  CHECK_FALSE(SolveBatch(p).feasible);
  p.min_gears = 1;
  CHECK(SolveBatch(p).gears == std::vector<int64_t>{8});
}
