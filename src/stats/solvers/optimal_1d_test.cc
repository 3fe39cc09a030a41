#include "stats/solvers/optimal_1d.h"

#include <catch2/catch.hpp>
#include <random>

using namespace autoscale;

namespace {

OneDimProblem RandomProblem(std::mt19937* rng, int n) {
  OneDimProblem p;
  std::uniform_int_distribution<int> step(1, 5), count(0, 9);
  int64_t v = 0;
  for (int i = 0; i < n; ++i) {
    v += 32 * step(*rng);
    p.values.push_back(v);
    p.weights.push_back(count(*rng));
  }
  return p;
}

// The cheapest feasible subset by trying every one.
double BruteForce(const OneDimProblem& p) {
  const size_t n = p.values.size();
  const auto& counts = p.counts.empty() ? p.weights : p.counts;
  double best = std::numeric_limits<double>::infinity();
  for (uint32_t mask = 1; mask < (1u << n); ++mask) {
    if (__builtin_popcount(mask) > p.max_gears) continue;
    std::vector<int64_t> gears;
    size_t top = 0;
    for (size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) {
        gears.push_back(p.values[i]);
        top = i;
      }
    const size_t first_top = p.min_top_index < 0 ? n - 1 : static_cast<size_t>(p.min_top_index);
    if (top < first_top) continue;
    double held = 0;
    for (size_t i = 0; i <= top; ++i) held += counts[i];
    if (held < p.min_held) continue;
    best = std::min(best, OneDimCost(p, gears));
  }
  return best;
}

}  // namespace

TEST_CASE("one-dim gears are exact against brute force", "[optimal]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    const int n = 1 + round % 11;
    OneDimProblem p = RandomProblem(&rng, n);
    p.max_gears = 1 + static_cast<int64_t>(rng() % 5);
    double total = 0;
    for (double w : p.weights) total += w;
    if (round % 3 == 1) {
      // A coverage target below 1 and samples no candidate holds.
      p.min_held = std::floor(total * 0.8);
      p.overflow_weight = p.overflow_count = static_cast<double>(rng() % 3);
    } else {
      p.min_held = total;
    }
    if (round % 5 == 2) p.min_top_index = -1;
    if (round % 7 == 3) {
      // Weights that are not counts (a grid side): coverage still counts samples.
      p.counts = p.weights;
      for (double& w : p.weights) w *= static_cast<double>(1 + rng() % 4);
    }
    const double want = BruteForce(p);
    OneDimSolution got = SolveOneDim(p);
    INFO("round " << round << " n " << n << " K " << p.max_gears);
    REQUIRE(got.feasible == std::isfinite(want));
    if (!got.feasible) continue;
    CHECK(got.cost == Approx(want));
    CHECK(OneDimCost(p, got.gears) == Approx(got.cost));
    CHECK(static_cast<int64_t>(got.gears.size()) <= p.max_gears);
    CHECK(std::is_sorted(got.gears.begin(), got.gears.end()));
  }
}

TEST_CASE("one-dim gears are exact for per-value unit costs", "[optimal]") {
  std::mt19937 rng(11);
  for (int round = 0; round < 300; ++round) {
    const int n = 1 + round % 10;
    OneDimProblem p = RandomProblem(&rng, n);
    p.max_gears = 1 + static_cast<int64_t>(rng() % 4);
    // A call cost: a fixed part plus a part that grows with the value, in
    // steps that are not proportional to it (a measured table).
    double c = static_cast<double>(rng() % 50);
    for (int i = 0; i < n; ++i) {
      c += static_cast<double>(rng() % 40);
      p.unit_costs.push_back(c);
    }
    double total = 0;
    for (double w : p.weights) total += w;
    p.min_held = round % 2 ? total : std::floor(0.7 * total);
    const double want = BruteForce(p);
    OneDimSolution got = SolveOneDim(p);
    INFO("round " << round);
    REQUIRE(got.feasible == std::isfinite(want));
    if (!got.feasible) continue;
    CHECK(got.cost == Approx(want));
    CHECK(OneDimCost(p, got.gears) == Approx(got.cost));
  }
}

TEST_CASE("one-dim unit costs decide the cut, not the values", "[optimal]") {
  // Weights 1, 2, 1 at 32, 64, 96; one gear besides the top. By value the
  // extra gear is 64 (288 against 320 for 32); a cost that jumps between
  // 32 and 64 and hardly after makes 32 the better cut.
  OneDimProblem p;
  p.values = {32, 64, 96};
  p.weights = {1, 2, 1};
  p.min_held = 4;
  p.max_gears = 2;
  CHECK(SolveOneDim(p).gears == std::vector<int64_t>{64, 96});
  p.unit_costs = {1, 10, 11};
  OneDimSolution s = SolveOneDim(p);
  CHECK(s.gears == std::vector<int64_t>{32, 96});
  CHECK(s.cost == Approx(1 + 2 * 11 + 11));
}

TEST_CASE("one-dim gears honour the coverage target", "[optimal]") {
  // 99 samples at 32, one at 320: with 1 gear and full coverage it must be
  // 320; letting 1% be shrunk, 32 is cheaper and allowed.
  OneDimProblem p;
  p.values = {32, 320};
  p.weights = {99, 1};
  p.max_gears = 1;
  p.min_held = 100;
  OneDimSolution full = SolveOneDim(p);
  REQUIRE(full.feasible);
  CHECK(full.gears == std::vector<int64_t>{320});
  CHECK(full.cost == 100 * 320);
  p.min_held = 99;
  OneDimSolution most = SolveOneDim(p);
  CHECK(most.gears == std::vector<int64_t>{32});
  CHECK(most.cost == 100 * 32);
  p.min_held = 101;
  CHECK_FALSE(SolveOneDim(p).feasible);
}

TEST_CASE("one-dim gears are all values when the budget allows", "[optimal]") {
  OneDimProblem p;
  p.values = {32, 64, 96};
  p.weights = {1, 2, 3};
  p.max_gears = 10;
  p.min_held = 6;
  OneDimSolution s = SolveOneDim(p);
  CHECK(s.gears == p.values);
  CHECK(s.cost == 32 + 128 + 288);
}

TEST_CASE("one-dim solver handles 8192 candidates and 100 gears", "[optimal]") {
  std::mt19937 rng(3);
  OneDimProblem p;
  double total = 0;
  for (int i = 1; i <= 8192; ++i) {
    p.values.push_back(32 * i);
    p.weights.push_back(static_cast<double>(rng() % 50));
    total += p.weights.back();
  }
  p.max_gears = 100;
  p.min_held = total;
  OneDimSolution s = SolveOneDim(p);
  REQUIRE(s.feasible);
  CHECK(s.gears.size() == 100);
  CHECK(s.gears.back() == 32 * 8192);
  // No single gear moved to a neighbouring value makes it cheaper.
  for (size_t g = 0; g + 1 < s.gears.size(); ++g)
    for (int64_t d : {-32, 32}) {
      auto moved = s.gears;
      moved[g] += d;
      if ((g > 0 && moved[g] <= moved[g - 1]) || moved[g] >= moved[g + 1] || moved[g] < 32) continue;
      CHECK(OneDimCost(p, moved) >= s.cost);
    }
}
